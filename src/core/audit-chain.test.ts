import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHAIN_START,
  GENESIS_HASH,
  canonicalEntryText,
  canonicalJson,
  sealEntry,
  verifyChain,
  type AuditEntry,
} from './audit-chain.js';

function chain(count: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const entry = sealEntry(prev, {
      seq,
      recordedAt: `2026-01-01T00:00:0${seq % 10}.000Z`,
      actor: 'pm:alice',
      action: 'restriction.record',
      entityType: 'restriction',
      entityId: `rst_${seq}`,
      before: null,
      after: canonicalJson({ seq, kind: 'policy' }),
      reason: seq % 2 === 0 ? 'correction' : null,
    });
    entries.push(entry);
    prev = entry.hash;
  }
  return entries;
}

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: { y: 1, x: [{ d: 1, c: 2 }] } }, '{"z":{"x":[{"c":2,"d":1}],"y":1}}'],
    [{ a: undefined, b: null }, '{"b":null}'],
  ])('%j → %s', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it('is JSON that reads back as the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('does not depend on key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
      }),
    );
  });
});

describe('canonicalEntryText', () => {
  // Put together from a head and a tail (so a tail can be worked out before the entry has its place),
  // it must stay the JSON array every stored entry was hashed over: any other text breaks old chains.
  const text = fc.string({ unit: 'binary' });
  it('is the JSON array of the fields, in order', () => {
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          recordedAt: text,
          actor: text,
          action: text,
          entityType: text,
          entityId: text,
          before: fc.option(text),
          after: fc.option(text),
          reason: fc.option(text),
        }),
        (entry) => {
          const { seq, recordedAt, actor, action, entityType, entityId, before, after, reason } =
            entry;
          expect(canonicalEntryText(entry)).toBe(
            JSON.stringify([
              seq,
              recordedAt,
              actor,
              action,
              entityType,
              entityId,
              before,
              after,
              reason,
            ]),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and returns its head', () => {
    const entries = chain(5);
    const result = verifyChain(entries);
    expect(result).toEqual({ ok: true, cursor: { nextSeq: 6, headHash: entries[4]!.hash } });
  });

  it('continues across pages from a cursor', () => {
    const entries = chain(6);
    const first = verifyChain(entries.slice(0, 3));
    if (!first.ok) throw new Error('first page broke');
    expect(verifyChain(entries.slice(3), first.cursor).ok).toBe(true);
  });

  it.each(['actor', 'action', 'entityId', 'after', 'reason', 'recordedAt'] as const)(
    'names the entry whose %s was changed',
    (field) => {
      const entries = chain(5);
      entries[2] = { ...entries[2]!, [field]: 'tampered' };
      expect(verifyChain(entries)).toEqual({ ok: false, break: { kind: 'hash-mismatch', seq: 3 } });
    },
  );

  it.each(['prevHash', 'hash'] as const)('names the entry whose %s was edited', (field) => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, [field]: 'f'.repeat(64) };
    expect(verifyChain(entries)).toEqual({ ok: false, break: { kind: 'hash-mismatch', seq: 3 } });
  });

  it('detects a re-hashed entry by the broken link after it', () => {
    const entries = chain(4);
    const forged = sealEntry(entries[0]!.hash, { ...entries[1]!, actor: 'mallory' });
    entries[1] = forged;
    expect(verifyChain(entries)).toEqual({ ok: false, break: { kind: 'link-mismatch', seq: 3 } });
  });

  it('detects a removed entry', () => {
    const entries = chain(4);
    entries.splice(1, 1);
    expect(verifyChain(entries)).toEqual({
      ok: false,
      break: { kind: 'sequence-gap', seq: 3, expectedSeq: 2 },
    });
  });

  it('starts from the genesis hash', () => {
    expect(CHAIN_START).toEqual({ nextSeq: 1, headHash: GENESIS_HASH });
    expect(verifyChain([])).toEqual({ ok: true, cursor: CHAIN_START });
  });
});
