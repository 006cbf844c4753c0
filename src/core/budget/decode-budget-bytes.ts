// Decodes budget-table bytes: UTF-8 where the bytes are valid UTF-8, windows-1252 for each byte that is not.

/** Decoded text and how many bytes were not valid UTF-8 (each decoded as windows-1252 instead). */
export interface DecodedBudgetText {
  readonly text: string;
  readonly replacedBytes: number;
}

/** windows-1252 code points for bytes 0x80–0x9F; the five bytes it leaves undefined map to themselves (as in latin1). */
const WINDOWS_1252_C1: readonly number[] = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039,
  0x0152, 0x8d, 0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc,
  0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

function windows1252(byte: number): number {
  return byte >= 0x80 && byte <= 0x9f ? (WINDOWS_1252_C1[byte - 0x80] ?? byte) : byte;
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x80 && byte <= 0xbf;
}

/** Length and code point of the valid UTF-8 sequence starting at `i`, or undefined when it is not one. */
function utf8At(bytes: Uint8Array, i: number): { length: number; codePoint: number } | undefined {
  const b0 = bytes[i] ?? 0;
  if (b0 < 0x80) return { length: 1, codePoint: b0 };
  const b1 = bytes[i + 1];
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    return isContinuation(b1)
      ? { length: 2, codePoint: ((b0 & 0x1f) << 6) | ((b1 ?? 0) & 0x3f) }
      : undefined;
  }
  // Second-byte ranges that exclude overlong forms, surrogates and code points above U+10FFFF.
  let low = 0x80;
  let high = 0xbf;
  let length: number;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    length = 3;
    if (b0 === 0xe0) low = 0xa0;
    if (b0 === 0xed) high = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    length = 4;
    if (b0 === 0xf0) low = 0x90;
    if (b0 === 0xf4) high = 0x8f;
  } else {
    return undefined;
  }
  if (b1 === undefined || b1 < low || b1 > high) return undefined;
  let codePoint = b0 & (length === 3 ? 0x0f : 0x07);
  for (let k = 1; k < length; k++) {
    const b = bytes[i + k];
    if (!isContinuation(b)) return undefined;
    codePoint = (codePoint << 6) | ((b ?? 0) & 0x3f);
  }
  return { length, codePoint };
}

/**
 * Decodes a budget table's bytes as UTF-8, taking any byte that is not part of a valid UTF-8
 * sequence as windows-1252 (the State Department tables carry a few, e.g. 0x92 for ’).
 * @example decodeBudgetBytes(new Uint8Array([0x57, 0x92, 0x73])) // { text: 'W’s', replacedBytes: 1 }
 */
export function decodeBudgetBytes(bytes: Uint8Array): DecodedBudgetText {
  const codePoints: number[] = [];
  let replacedBytes = 0;
  let i = 0;
  while (i < bytes.length) {
    const sequence = utf8At(bytes, i);
    if (sequence === undefined) {
      codePoints.push(windows1252(bytes[i] ?? 0));
      replacedBytes += 1;
      i += 1;
    } else {
      codePoints.push(sequence.codePoint);
      i += sequence.length;
    }
  }
  let text = '';
  const CHUNK = 8192;
  for (let start = 0; start < codePoints.length; start += CHUNK) {
    text += String.fromCodePoint(...codePoints.slice(start, start + CHUNK));
  }
  return { text, replacedBytes };
}
