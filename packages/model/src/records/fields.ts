import * as Y from 'yjs';
import { isValidOrderKey } from '../order.js';
import { invalid } from '../problems.js';

/**
 * Field access shared by the record modules. The reading rule everywhere: a missing
 * optional field gets its default, a field that is present with the wrong type makes the
 * record invalid (it is skipped), because a peer that wrote it is not speaking our schema.
 */

export function asRecordMap(value: unknown): Y.Map<unknown> {
  if (!(value instanceof Y.Map)) invalid('not a Y.Map');
  return value as Y.Map<unknown>;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

export function requiredName(record: Y.Map<unknown>, key: string): string {
  const value = record.get(key);
  if (value === undefined) invalid(`missing ${key}`);
  if (typeof value !== 'string') invalid(`${key} is not a string`);
  if (value.trim() === '') invalid(`${key} is empty`);
  return value;
}

export function optionalString(record: Y.Map<unknown>, key: string, fallback: string): string {
  const value = record.get(key);
  if (value === undefined) return fallback;
  if (typeof value !== 'string') invalid(`${key} is not a string`);
  return value;
}

export function optionalFiniteNumber(record: Y.Map<unknown>, key: string, fallback: number): number {
  const value = record.get(key);
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(`${key} is not a number`);
  return value;
}

export function requiredOrder(record: Y.Map<unknown>): string {
  const value = record.get('order');
  if (value === undefined) invalid('missing order');
  if (!isValidOrderKey(value)) invalid(`order is not a valid order key: ${JSON.stringify(value)}`);
  return value;
}

/** Lists may be stored as plain arrays or as Y.Arrays; duplicates are dropped. */
export function optionalStringList(record: Y.Map<unknown>, key: string): string[] {
  const value = record.get(key);
  if (value === undefined) return [];
  const items: unknown[] | undefined = Array.isArray(value)
    ? value
    : value instanceof Y.Array
      ? (value as Y.Array<unknown>).toArray()
      : undefined;
  if (items === undefined) invalid(`${key} is not a list`);
  if (!items.every((item): item is string => typeof item === 'string')) {
    invalid(`${key} holds a value that is not a string`);
  }
  return [...new Set(items)];
}

const COLOUR_PATTERN = /^#[0-9a-fA-F]{6}$/;

/** Colours end up in CSS, so only `#rrggbb` is accepted. */
export function isColour(value: unknown): value is string {
  return typeof value === 'string' && COLOUR_PATTERN.test(value);
}

// ---- input checks for the write API: these throw plain Errors with a message for the caller

export function checkName(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} must be a string`);
  const trimmed = value.trim();
  if (trimmed === '') throw new Error(`${what} must not be empty`);
  return trimmed;
}

export function checkString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} must be a string`);
  return value;
}

export function checkColour(value: unknown, what: string): string {
  if (!isColour(value)) throw new Error(`${what} must be a colour like #aabbcc`);
  return value;
}

export function checkStringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value)) throw new Error(`${what} must be an array of strings`);
  const items: unknown[] = value;
  const strings: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string' || item.trim() === '') {
      throw new Error(`${what} must only hold non-empty strings`);
    }
    strings.push(item.trim());
  }
  return [...new Set(strings)];
}
