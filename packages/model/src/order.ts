/**
 * Fractional order keys. Stages, lanes and cards carry an `order` string and are sorted by
 * (order, id), so moving a record is one field write and never duplicates it.
 *
 * A key is `head + integer digits + fraction digits`, base 62 in ASCII order so plain string
 * comparison matches numeric order:
 * - the head letter fixes how many integer digits follow ('a' = 1, 'b' = 2, ... for the
 *   non-negative integers; 'Z' = 1, 'Y' = 2, ... for the negative ones), so longer
 *   integers sort after shorter ones without padding;
 * - the fraction has no trailing '0' so every position has exactly one spelling.
 * Appending or prepending steps the integer, so thousands of appends stay 3-4 characters;
 * only inserts between close neighbours use the fraction.
 *
 * Two users inserting at the same spot at the same time compute the same key. That is fine:
 * readers break ties by id, and placement (see placement.ts) skips over tied neighbours.
 */

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
const SMALLEST_DIGIT = '0';
const LARGEST_DIGIT = 'z';
const ZERO_KEY = 'a0';
const KEY_PATTERN = /^[A-Za-z][0-9A-Za-z]*$/;

function digitValue(char: string | undefined): number {
  const value = char === undefined ? -1 : DIGITS.indexOf(char);
  if (value < 0) throw new Error(`order key has an invalid digit: ${String(char)}`);
  return value;
}

function digitChar(value: number): string {
  const char = DIGITS[value];
  if (char === undefined) throw new Error(`order digit out of range: ${value}`);
  return char;
}

function integerLength(head: string): number {
  const code = head.charCodeAt(0);
  if (head >= 'a' && head <= 'z') return code - 'a'.charCodeAt(0) + 1;
  if (head >= 'A' && head <= 'Z') return 'Z'.charCodeAt(0) - code + 1;
  throw new Error(`order key has an invalid head: ${head}`);
}

export function isValidOrderKey(key: unknown): key is string {
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) return false;
  const intEnd = 1 + integerLength(key.charAt(0));
  if (key.length < intEnd) return false;
  return key.length === intEnd || !key.endsWith(SMALLEST_DIGIT);
}

function splitKey(key: string): { integer: string; fraction: string } {
  if (!isValidOrderKey(key)) throw new Error(`invalid order key: ${JSON.stringify(key)}`);
  const intEnd = 1 + integerLength(key.charAt(0));
  return { integer: key.slice(0, intEnd), fraction: key.slice(intEnd) };
}

function shiftHead(head: string, by: 1 | -1): string {
  return String.fromCharCode(head.charCodeAt(0) + by);
}

function incrementInteger(integer: string): string {
  const head = integer.charAt(0);
  const digits = integer.slice(1).split('');
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i] !== LARGEST_DIGIT) {
      digits[i] = digitChar(digitValue(digits[i]) + 1);
      return head + digits.join('');
    }
    digits[i] = SMALLEST_DIGIT;
  }
  // Every digit overflowed: move to the next head, whose integers are one digit longer
  // (non-negative side) or one digit shorter (negative side, 'Z' hands over to 'a').
  if (head === 'z') throw new Error('order key space exhausted at the end');
  if (head === 'Z') return 'a' + SMALLEST_DIGIT;
  const nextHead = shiftHead(head, 1);
  return nextHead + SMALLEST_DIGIT.repeat(integerLength(nextHead));
}

function decrementInteger(integer: string): string {
  const head = integer.charAt(0);
  const digits = integer.slice(1).split('');
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i] !== SMALLEST_DIGIT) {
      digits[i] = digitChar(digitValue(digits[i]) - 1);
      return head + digits.join('');
    }
    digits[i] = LARGEST_DIGIT;
  }
  if (head === 'A') throw new Error('order key space exhausted at the start');
  if (head === 'a') return 'Z' + LARGEST_DIGIT;
  const previousHead = shiftHead(head, -1);
  return previousHead + LARGEST_DIGIT.repeat(integerLength(previousHead));
}

/**
 * A fraction strictly between `low` and `high` (null = 1). Both are digit strings without
 * trailing zeros and `low < high`.
 */
function fractionBetween(low: string, high: string | null): string {
  let prefix = '';
  for (let i = 0; ; i++) {
    const lowDigit = i < low.length ? digitValue(low[i]) : 0;
    const highDigit = high === null ? BASE : i < high.length ? digitValue(high[i]) : 0;
    if (lowDigit === highDigit) {
      prefix += digitChar(lowDigit);
      continue;
    }
    if (highDigit < lowDigit) throw new Error('fractionBetween: bounds out of order');
    if (highDigit - lowDigit > 1) return prefix + digitChar(Math.floor((lowDigit + highDigit) / 2));
    // Adjacent digits leave no room here: keep low's digit, then go above the rest of low.
    return prefix + digitChar(lowDigit) + fractionBetween(low.slice(i + 1), null);
  }
}

/**
 * A key strictly between `a` and `b` (null = open end). Throws when a key is malformed or
 * `a >= b`; callers placing next to tied keys must pick distinct neighbours first.
 */
export function orderBetween(a: string | null, b: string | null): string {
  if (a === null && b === null) return ZERO_KEY;
  if (a === null) {
    const upper = splitKey(b as string);
    return upper.fraction === '' ? decrementInteger(upper.integer) : upper.integer;
  }
  const lower = splitKey(a);
  if (b === null) return incrementInteger(lower.integer);
  const upper = splitKey(b);
  if (a >= b) throw new Error(`orderBetween: ${a} is not before ${b}`);
  if (lower.integer === upper.integer) {
    return lower.integer + fractionBetween(lower.fraction, upper.fraction);
  }
  const nextInteger = incrementInteger(lower.integer);
  if (nextInteger < b) return nextInteger;
  return lower.integer + fractionBetween(lower.fraction, null);
}

/** `n` ascending keys strictly between `a` and `b`, spread out so later inserts stay short. */
export function orderKeysBetween(a: string | null, b: string | null, n: number): string[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`orderKeysBetween: bad count ${n}`);
  if (n === 0) return [];
  if (b === null) {
    const keys: string[] = [];
    let previous = a;
    for (let i = 0; i < n; i++) {
      previous = orderBetween(previous, null);
      keys.push(previous);
    }
    return keys;
  }
  if (a === null) {
    const keys: string[] = [];
    let next: string = b;
    for (let i = 0; i < n; i++) {
      next = orderBetween(null, next);
      keys.push(next);
    }
    return keys.reverse();
  }
  const middleIndex = Math.floor(n / 2);
  const middle = orderBetween(a, b);
  return [...orderKeysBetween(a, middle, middleIndex), middle, ...orderKeysBetween(middle, b, n - middleIndex - 1)];
}

export interface OrderedRecord {
  readonly id: string;
  readonly order: string;
}

/** Sort comparator on (order, id): concurrent inserts may share a key, ids break the tie. */
export function compareByOrder(x: OrderedRecord, y: OrderedRecord): number {
  if (x.order !== y.order) return x.order < y.order ? -1 : 1;
  if (x.id === y.id) return 0;
  return x.id < y.id ? -1 : 1;
}
