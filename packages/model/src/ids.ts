/**
 * Record ids. They are keys in shared Y.Maps, so two clients creating records at the same
 * moment must not pick the same id without any coordination: 21 random characters from a
 * 64-character alphabet give 126 bits, which makes a collision practically impossible.
 * The alphabet is URL-safe and has no ':' so ids can be joined into emotion keys.
 */

/** The one piece of Web Crypto we need; the package is compiled without the DOM lib. */
interface RandomSource {
  getRandomValues<T extends Uint8Array>(array: T): T;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const ID_LENGTH = 21;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

function randomSource(): RandomSource {
  const source = (globalThis as { crypto?: RandomSource }).crypto;
  if (source === undefined || typeof source.getRandomValues !== 'function') {
    throw new Error('newId: globalThis.crypto.getRandomValues is not available');
  }
  return source;
}

export function newId(): string {
  const bytes = randomSource().getRandomValues(new Uint8Array(ID_LENGTH));
  let id = '';
  // 256 is a multiple of 64, so masking keeps every character equally likely.
  for (const byte of bytes) id += ID_ALPHABET[byte & 63];
  return id;
}

/**
 * Whether a string can be used as a record id. Ids from older clients or imports need not
 * have exactly our length, but they must stay URL-safe and free of ':'.
 */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
