import { describe, expect, it } from 'vitest';
import { decodeBudgetBytes } from './decode-budget-bytes.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

describe('decodeBudgetBytes', () => {
  it.each([
    ['plain ASCII', bytes(...ascii('TOTAL,1')), 'TOTAL,1', 0],
    ['UTF-8 two-byte', bytes(0x43, 0xc3, 0xb4, 0x74, 0x65), 'Côte', 0],
    ['UTF-8 three-byte ’', bytes(0x57, 0xe2, 0x80, 0x99, 0x73), 'W’s', 0],
    ['UTF-8 four-byte', bytes(0xf0, 0x9f, 0x98, 0x80), '😀', 0],
    [
      'windows-1252 0x92 (the tables’ apostrophe)',
      bytes(...ascii('Women'), 0x92, 0x73),
      'Women’s',
      1,
    ],
    ['windows-1252 0x80 and 0x96', bytes(0x80, 0x20, 0x96), '€ –', 2],
    ['latin1 0xE9 alone', bytes(0x63, 0x61, 0x66, 0xe9), 'café', 1],
    ['a sequence cut short at the end', bytes(0x41, 0xc3), 'AÃ', 1],
    ['an overlong encoding', bytes(0xc0, 0xaf), 'À¯', 2],
    ['a UTF-16 surrogate', bytes(0xed, 0xa0, 0x80), 'í\u00a0€', 3],
    ['an undefined windows-1252 byte kept as itself', bytes(0x81), '\u0081', 1],
  ])('%s', (_label, input, text, replacedBytes) => {
    expect(decodeBudgetBytes(input)).toEqual({ text, replacedBytes });
  });

  it('agrees with the platform decoder on valid UTF-8', () => {
    const text = 'Cabo Verde, São Tomé, Curaçao — ’quotes’ 😀';
    expect(decodeBudgetBytes(new TextEncoder().encode(text))).toEqual({ text, replacedBytes: 0 });
  });

  it('decodes long inputs', () => {
    const input = new Uint8Array(100_000).fill(0x41);
    expect(decodeBudgetBytes(input).text).toHaveLength(100_000);
  });
});
