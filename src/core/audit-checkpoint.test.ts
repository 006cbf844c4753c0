import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  canonicalJson,
  sealEntry,
  verifyChain,
  type AuditEntry,
} from './audit-chain.js';
import {
  CHECKPOINT_FORMAT,
  MAX_ANCHORS,
  anchorHashes,
  anchorSeqs,
  anchorSpacing,
  checkAnchors,
  checkLength,
  checkSignature,
  keyIdOf,
  signCheckpoint,
  type Checkpoint,
} from './audit-checkpoint.js';

function chain(count: number, from: AuditEntry[] = [], edit?: { seq: number }): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const original = from[seq - 1];
    const entry = sealEntry(prev, {
      seq,
      recordedAt: '2026-01-01T00:00:00.000Z',
      actor: seq === edit?.seq ? 'mallory' : (original?.actor ?? 'pm:alice'),
      action: 'seat.add',
      entityType: 'seat',
      entityId: `seat_${seq}`,
      before: null,
      after: canonicalJson({ seq }),
      reason: null,
    });
    entries.push(entry);
    prev = entry.hash;
  }
  return entries;
}

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

function checkpointOf(entries: readonly AuditEntry[]): Checkpoint {
  const seq = entries.length;
  const wanted = new Set(anchorSeqs(seq));
  return signCheckpoint(
    {
      format: CHECKPOINT_FORMAT,
      seq,
      headHash: entries[seq - 1]?.hash ?? GENESIS_HASH,
      recordedAt: '2026-02-01T00:00:00.000Z',
      keyId: keyIdOf(publicKey),
      anchors: {
        every: anchorSpacing(seq),
        hashes: entries.filter((e) => wanted.has(e.seq)).map((e) => e.hash),
      },
    },
    privateKey,
  );
}

describe('anchors', () => {
  it.each([
    [0, 1, 0],
    [5, 1, 5],
    [MAX_ANCHORS, 1, MAX_ANCHORS],
    [MAX_ANCHORS + 1, 2, MAX_ANCHORS / 2],
    [4502, 9, 500],
  ])('a checkpoint of %i entries anchors every %i-th: %i anchors', (seq, every, count) => {
    expect(anchorSpacing(seq)).toBe(every);
    expect(anchorSeqs(seq)).toHaveLength(count);
    expect(anchorSeqs(seq).every((s) => s % every === 0 && s <= seq)).toBe(true);
  });

  it('never keeps more than MAX_ANCHORS, nor leaves a stretch longer than its spacing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (seq) => {
        const seqs = anchorSeqs(seq);
        expect(seqs.length).toBeLessThanOrEqual(MAX_ANCHORS);
        expect(seq - (seqs[seqs.length - 1] ?? 0)).toBeLessThan(anchorSpacing(seq));
      }),
    );
  });
});

describe('signatures', () => {
  const checkpoint = checkpointOf(chain(20));

  it('holds for the key that signed, names another key, and refuses any edit', () => {
    expect(checkSignature(checkpoint, publicKey)).toBe('valid');
    expect(checkSignature(checkpoint, other.publicKey)).toBe('other-key');
    expect(checkSignature({ ...checkpoint, seq: 19 }, publicKey)).toBe('bad-signature');
    expect(checkSignature({ ...checkpoint, headHash: '0'.repeat(64) }, publicKey)).toBe(
      'bad-signature',
    );
  });

  it('is deterministic and names its key by the sha256 of the public key', () => {
    expect(checkpointOf(chain(20))).toEqual(checkpoint);
    expect(checkpoint.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(keyIdOf(publicKey)).not.toBe(keyIdOf(other.publicKey));
  });

  it('does not trust a checkpoint re-signed by another key that names ours', () => {
    const forged = signCheckpoint({ ...checkpoint, seq: 10 }, other.privateKey);
    expect(checkSignature(forged, publicKey)).toBe('bad-signature');
  });
});

describe('a chain against its checkpoint', () => {
  const N = 1_300;
  const original = chain(N);
  const checkpoint = checkpointOf(original);
  const anchors = anchorHashes(checkpoint);

  it('bears out the chain it was made of, and a longer one', () => {
    expect(checkAnchors(anchors, original, { matched: 0 })).toEqual({
      ok: true,
      cursor: { matched: N },
    });
    expect(checkLength(checkpoint, N)).toBeUndefined();
    expect(checkLength(checkpoint, N + 5)).toBeUndefined();
  });

  it('locates any consistent rewrite within one anchor spacing, the rewritten entry inside', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: N }), (k) => {
        const rewritten = chain(N, original, { seq: k });
        // The rewrite is consistent: the chain alone holds.
        expect(verifyChain(rewritten).ok).toBe(true);
        const held = checkAnchors(anchors, rewritten, { matched: 0 });
        if (held.ok || held.break.kind !== 'checkpoint-mismatch') throw new Error('not caught');
        expect(held.break.from).toBeLessThanOrEqual(k);
        expect(held.break.seq).toBeGreaterThanOrEqual(k);
        expect(held.break.seq - held.break.from).toBeLessThan(anchorSpacing(N));
      }),
      { numRuns: 40 },
    );
  });

  it('names the first entry missing from a cut log', () => {
    expect(checkLength(checkpoint, N - 3)).toEqual({
      kind: 'truncated',
      seq: N - 2,
      checkpointSeq: N,
    });
    expect(checkLength(checkpoint, 0)).toEqual({ kind: 'truncated', seq: 1, checkpointSeq: N });
  });

  it('continues across pages', () => {
    const first = checkAnchors(anchors, original.slice(0, 700), { matched: 0 });
    if (!first.ok) throw new Error('first page broke');
    expect(checkAnchors(anchors, original.slice(700), first.cursor).ok).toBe(true);
  });
});
