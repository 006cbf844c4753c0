// Signed checkpoints of the audit chain (DESIGN §6): what is signed, the anchors it keeps, and how a
// chain is checked against it. Keys are passed in; nothing here reads a file or a clock.
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './audit-chain.js';

export const CHECKPOINT_FORMAT = 'attache-audit-checkpoint/1';

/**
 * At most this many anchors (hashes of entries spread evenly up to the head): they locate the first
 * entry of a consistent rewrite to within `seq / MAX_ANCHORS` entries (exactly, on a short log).
 */
export const MAX_ANCHORS = 512;

/** Everything a checkpoint signs. */
export interface CheckpointBody {
  readonly format: typeof CHECKPOINT_FORMAT;
  /** The last entry the checkpoint covers (0 for an empty log). */
  readonly seq: number;
  /** That entry's hash: it covers every entry before it through the chain. */
  readonly headHash: string;
  /** When the checkpoint was made. */
  readonly recordedAt: string;
  /** Which key signed it: the sha256 of its public key (SPKI DER), hex. */
  readonly keyId: string;
  /** Hashes of entries `every`, `2 × every`, … up to `seq`, in order. */
  readonly anchors: { readonly every: number; readonly hashes: readonly string[] };
}

export interface Checkpoint extends CheckpointBody {
  /** Ed25519 signature (base64) of the body's canonical JSON. */
  readonly signature: string;
}

/** The spacing of anchors for a checkpoint of `seq` entries. */
export function anchorSpacing(seq: number): number {
  return Math.max(1, Math.ceil(seq / MAX_ANCHORS));
}

/**
 * The entries a checkpoint of `seq` entries anchors.
 * @example anchorSeqs(5) // [1, 2, 3, 4, 5]
 */
export function anchorSeqs(seq: number): number[] {
  const every = anchorSpacing(seq);
  const seqs: number[] = [];
  for (let s = every; s <= seq; s += every) seqs.push(s);
  return seqs;
}

/** The id of a public key: sha256 of its SPKI DER encoding, hex. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

function signedText(body: CheckpointBody): Buffer {
  return Buffer.from(
    canonicalJson({
      format: body.format,
      seq: body.seq,
      headHash: body.headHash,
      recordedAt: body.recordedAt,
      keyId: body.keyId,
      anchors: { every: body.anchors.every, hashes: body.anchors.hashes },
    }),
  );
}

/** Signs `body` with an Ed25519 private key (deterministic: the same body and key, the same signature). */
export function signCheckpoint(body: CheckpointBody, privateKey: KeyObject): Checkpoint {
  return { ...body, signature: sign(null, signedText(body), privateKey).toString('base64') };
}

/**
 * Whether `checkpoint` was signed by `publicKey`: the key it names must be that key (a checkpoint
 * never brings its own key: whoever altered it could sign it again), and the signature must hold.
 */
export function checkSignature(
  checkpoint: Checkpoint,
  publicKey: KeyObject,
): 'valid' | 'other-key' | 'bad-signature' {
  if (checkpoint.keyId !== keyIdOf(publicKey)) return 'other-key';
  const signature = Buffer.from(checkpoint.signature, 'base64');
  return verify(null, signedText(checkpoint), publicKey, signature) ? 'valid' : 'bad-signature';
}

/** What a chain shows against a checkpoint, when it does not bear it out. */
export type CheckpointBreak =
  /** Entry `seq` differs from the checkpoint; the entry `from - 1` before it matched an anchor. */
  | { readonly kind: 'checkpoint-mismatch'; readonly seq: number; readonly from: number }
  /** The log ends before the checkpoint's entry: `seq` is the first entry missing. */
  | { readonly kind: 'truncated'; readonly seq: number; readonly checkpointSeq: number }
  | { readonly kind: 'checkpoint-key'; readonly keyId: string; readonly expectedKeyId: string }
  | { readonly kind: 'checkpoint-signature'; readonly keyId: string };

/** Where a chain stands against a checkpoint while its entries are read in order. */
export interface AnchorCursor {
  /** The last anchored entry that matched (0: none yet). */
  readonly matched: number;
}

/** The hash the checkpoint holds for each entry it anchors, the head included. */
export function anchorHashes(checkpoint: CheckpointBody): ReadonlyMap<number, string> {
  const hashes = new Map<number, string>();
  checkpoint.anchors.hashes.forEach((hash, i) =>
    hashes.set((i + 1) * checkpoint.anchors.every, hash),
  );
  if (checkpoint.seq > 0) hashes.set(checkpoint.seq, checkpoint.headHash);
  return hashes;
}

/**
 * Checks entries (in order, already chain-verified) against the anchors; returns the first that
 * differs with the range where the rewrite begins, or the cursor to continue from.
 */
export function checkAnchors(
  anchors: ReadonlyMap<number, string>,
  entries: readonly { readonly seq: number; readonly hash: string }[],
  cursor: AnchorCursor,
):
  | { readonly ok: true; readonly cursor: AnchorCursor }
  | { readonly ok: false; readonly break: CheckpointBreak } {
  let matched = cursor.matched;
  for (const entry of entries) {
    const expected = anchors.get(entry.seq);
    if (expected === undefined) continue;
    if (expected !== entry.hash) {
      return {
        ok: false,
        break: { kind: 'checkpoint-mismatch', seq: entry.seq, from: matched + 1 },
      };
    }
    matched = entry.seq;
  }
  return { ok: true, cursor: { matched } };
}

/** After the last entry: a log that ends before the checkpoint's entry was cut short. */
export function checkLength(
  checkpoint: CheckpointBody,
  entries: number,
): CheckpointBreak | undefined {
  return entries < checkpoint.seq
    ? { kind: 'truncated', seq: entries + 1, checkpointSeq: checkpoint.seq }
    : undefined;
}
