// `attache audit keygen | checkpoint | verify` as a user runs them: a real process over a data dir
// tampered on disk, and every bad input refused with exit 2 and one line naming what is wrong.
import { generateKeyPairSync } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOver, runAttache, type CliRun } from '../support/cli.js';
import { demoDataDir, openTestDatabase, type TestDatabase } from '../support/databases.js';

const root = mkdtempSync(join(tmpdir(), 'attache-audit-'));
let db: TestDatabase;
let runHere: (args: readonly string[]) => Promise<CliRun>;
const key = join(root, 'audit.pem');
const pub = join(root, 'audit.pub');

beforeAll(async () => {
  db = await openTestDatabase('demo');
  runHere = cliOver(db.ctx);
  const made = await runHere(['audit', 'keygen', '--out', key, '--public-out', pub]);
  expect(made.code).toBe(0);
}, 60_000);

afterAll(async () => {
  await db?.close();
  rmSync(root, { recursive: true, force: true });
});

/** One line on stderr, with exit `code`. */
function refused(run: CliRun, code: number, pattern: RegExp): void {
  expect(run.code).toBe(code);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr.trimEnd()).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('attache audit, as a user runs it', () => {
  it('makes a key, signs a checkpoint, and catches a cut tail and a seat changed behind the log', async () => {
    const dataDir = await demoDataDir(root);
    const dir = mkdtempSync(join(root, 'user-'));
    const env = { ATTACHE_DATA_DIR: dataDir };
    const signing = join(dir, 'signing.pem');

    const made = await runAttache(['audit', 'keygen', '--out', signing], env);
    expect(made.code).toBe(0);
    expect(statSync(signing).mode & 0o777).toBe(0o600);
    expect(made.stdout).toContain('-----BEGIN PUBLIC KEY-----');
    const publicKey = join(dir, 'signing.pub');
    writeFileSync(publicKey, made.stdout.slice(made.stdout.indexOf('-----BEGIN')));
    const [again, unsigned] = await Promise.all([
      runAttache(['audit', 'keygen', '--out', signing], env),
      runAttache(['audit', 'checkpoint'], env),
    ]);
    refused(again, 2, /already exists/);
    refused(
      unsigned,
      2,
      /^attache: no audit signing key: make one with `attache audit keygen --out FILE`/,
    );
    const checkpoint = join(dir, 'checkpoint.json');
    const signed = await runAttache(['audit', 'checkpoint', '--out', checkpoint], {
      ...env,
      ATTACHE_AUDIT_SIGNING_KEY_FILE: signing,
    });
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    const { seq } = JSON.parse(readFileSync(checkpoint, 'utf8')) as { seq: number };
    expect(signed.stdout).toContain(`checkpoint of audit entry ${seq} `);

    const holds = await runAttache(
      ['audit', 'verify', '--checkpoint', checkpoint, '--public-key', publicKey],
      env,
    );
    expect(holds.code).toBe(0);
    expect(holds.stdout).toMatch(new RegExp(`^checkpoint holds: entry ${seq} `, 'm'));

    // The tamperer: the embedded database's superuser, the guard switched off.
    const pg = await PGlite.create(join(dataDir, 'pgdata'), { extensions: { btree_gist } });
    const [seat] = (
      await pg.query<{ id: string }>(
        `select id from seats where status = 'programmed' and version = 1 order by id limit 1`,
      )
    ).rows;
    await pg.exec(`alter table audit_log disable trigger user;
      delete from audit_log where seq > ${seq - 2};
      update seats set status = 'held' where id = '${seat!.id}';`);
    await pg.close();

    refused(
      await runAttache(['audit', 'verify', '--checkpoint', checkpoint], {
        ...env,
        ATTACHE_AUDIT_PUBLIC_KEY_FILE: publicKey,
      }),
      1,
      new RegExp(
        `^attache: audit entries ${seq - 1} to ${seq} are missing: the log ends at entry ${seq - 2}, but the checkpoint covers ${seq}$`,
      ),
    );
    // Without the checkpoint, the cut log is a well-formed chain: only the records tell.
    // (One process at a time on an embedded data dir.)
    expect((await runAttache(['audit', 'verify'], env)).code).toBe(0);
    const deep = await runAttache(['audit', 'verify', '--deep'], env);
    refused(deep, 1, new RegExp(`^attache: seat ${seat!.id}: status is "held" in the database`));
    expect(deep.stdout).toMatch(/^deep: not compared: /m);
  }, 180_000);

  it('prints the checkpoint object with --json, the one it writes with --out', async () => {
    const out = join(root, 'same.json');
    const json = await runHere(['audit', 'checkpoint', '--key', key, '--json', '--out', out]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(readFileSync(out, 'utf8')));
    const verified = await runHere([
      'audit',
      'verify',
      '--checkpoint',
      out,
      '--public-key',
      pub,
      '--json',
    ]);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, checkpoint: { holds: true } });
  });

  it('refuses a checkpoint of a broken chain', async () => {
    const broken = await openTestDatabase('empty');
    try {
      await broken.store.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_log disable trigger user`);
        await tx.execute(sql`update audit_log set actor = 'mallory' where seq = 7`);
      });
      refused(
        await cliOver(broken.ctx)(['audit', 'checkpoint', '--key', key]),
        1,
        /^attache: no checkpoint of a broken chain: audit entry 7 was changed/,
      );
    } finally {
      await broken.close();
    }
  });
});

describe('bad input: exit 2, one line naming what is wrong', () => {
  const rsa = join(root, 'rsa.pem');
  const open = join(root, 'open.pem');
  const notJson = join(root, 'not.json');
  const notCheckpoint = join(root, 'other.json');
  const checkpoint = join(root, 'good.json');

  beforeAll(async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(rsa, pair.publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(open, readFileSync(key));
    chmodSync(open, 0o640);
    writeFileSync(notJson, '{"format": ');
    writeFileSync(notCheckpoint, JSON.stringify({ format: 'attache-audit-checkpoint/1', seq: -1 }));
    expect((await runHere(['audit', 'checkpoint', '--key', key, '--out', checkpoint])).code).toBe(
      0,
    );
  });

  it.each([
    [
      ['audit', 'verify', '--checkpoint', join(root, 'missing.json'), '--public-key', pub],
      /missing\.json does not exist$/,
    ],
    [
      ['audit', 'verify', '--checkpoint', notJson, '--public-key', pub],
      /not\.json is not JSON \(.*\): not an audit checkpoint$/,
    ],
    [
      ['audit', 'verify', '--checkpoint', notCheckpoint, '--public-key', pub],
      /other\.json is not an audit checkpoint: seq /,
    ],
    [
      ['audit', 'verify', '--checkpoint', checkpoint, '--public-key', rsa],
      /rsa\.pem holds an rsa key; audit checkpoints are signed with Ed25519/,
    ],
    [
      ['audit', 'verify', '--checkpoint', checkpoint, '--public-key', notJson],
      /not\.json is not a PEM public key/,
    ],
    [
      ['audit', 'verify', '--checkpoint', checkpoint],
      /no key to check its signature with: pass --public-key FILE/,
    ],
    [
      ['audit', 'verify', '--public-key', pub],
      /--public-key: checks a checkpoint: give --checkpoint FILE too$/,
    ],
    [
      ['audit', 'checkpoint', '--key', open],
      /open\.pem is open to group or others \(mode 640\).*chmod 600/,
    ],
    [['audit', 'checkpoint', '--key', pub], /audit\.pub is not a PEM private key/],
    [
      ['audit', 'checkpoint', '--key', key, '--out', checkpoint],
      /good\.json already exists: it is never overwritten$/,
    ],
    [
      ['audit', 'keygen', '--out', join(root, 'no-such-folder', 'k.pem')],
      /its folder does not exist$/,
    ],
  ])('%j', async (args, message) => {
    refused(await runHere(args), 2, message);
  });

  it('refuses a misconfigured key at start, naming the variable', async () => {
    const run = await runAttache(['audit', 'verify'], {
      ATTACHE_DATA_DIR: join(root, 'never-opened'),
      ATTACHE_AUDIT_SIGNING_KEY_FILE: open,
    });
    refused(
      run,
      2,
      /^attache: ATTACHE_AUDIT_SIGNING_KEY_FILE: .*open\.pem is open to group or others/,
    );
    expect(existsSync(join(root, 'never-opened'))).toBe(false);
  });
});
