// A file brought in: its name, its bytes and their sha256, which every import records and audits.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

export interface ImportFile {
  /** The file's name without its directory (what the audit entry and the import run name). */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Lowercase hex. */
  readonly sha256: string;
}

export function importFile(name: string, bytes: Uint8Array): ImportFile {
  return { name: basename(name), bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export async function readImportFile(path: string): Promise<ImportFile> {
  return importFile(path, new Uint8Array(await readFile(path)));
}
