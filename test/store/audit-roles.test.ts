// PostgreSQL: the application's own role appends to the audit log but cannot rewrite it, nor
// disarm or drop the trigger that guards it, because another role (the migrations') owns the table.
// Runs on a database and two roles of its own, made as `postgres`, whenever a server is reachable.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { auditRead } from '../../src/services/audit/audit-read.service.js';
import { grantAppRole } from '../../src/services/audit/database-role.service.js';
import { verifyAudit } from '../../src/services/audit/audit.service.js';
import { openApplication, type AppContext } from '../../src/services/context.js';
import { recordRestriction } from '../../src/services/eligibility/restriction.service.js';
import { addSchool } from '../../src/services/training/school.service.js';
import { describeOpenFailure } from '../../src/services/open-failure.js';
import { runAttache } from '../support/cli.js';
import { dropDatabase, openTestDatabase, withDatabase } from '../support/databases.js';

const adminUrl = inject('databaseAdminUrl') || 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

// In CI a server is always there: not reaching it fails the test rather than skipping it.
const runs = (await reachable(adminUrl)) || (process.env.CI ?? '') !== '';
const where = new URL(adminUrl).host;

const run = randomBytes(4).toString('hex');
const owner = `attache_owner_${run}`;
const app = `attache_app_${run}`;
const database = `attache_roles_${run}`;

function as(role: string, password: string): string {
  const url = new URL(withDatabase(adminUrl, database));
  url.username = role;
  url.password = password;
  return url.toString();
}
const ownerUrl = as(owner, 'owner-secret');
const appUrl = as(app, 'app-secret');
const actor = systemActor('roles-test');

describe.skipIf(!runs)(`PostgreSQL roles (at ${where})`, () => {
  let ownerCtx: AppContext | undefined;
  let appCtx: AppContext | undefined;
  let appClient: pg.Client | undefined;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`create role ${owner} login password 'owner-secret'`);
      await admin.query(`create role ${app} login password 'app-secret'`);
      await admin.query(`create database ${database} owner ${owner}`);
    } finally {
      await admin.end();
    }
    // Migrations run as the owner (as every command does on open), then the grant.
    ownerCtx = await openApplication({ kind: 'postgres', url: ownerUrl });
    const granted = await grantAppRole(ownerCtx, actor, app);
    expect(granted).toMatchObject({
      ok: true,
      value: { role: app, owner, appendOnly: ['audit_log', 'human_rights_findings'] },
    });
    appCtx = await openApplication({ kind: 'postgres', url: appUrl });
    appClient = new pg.Client({ connectionString: appUrl });
    await appClient.connect();
  }, 120_000);

  afterAll(async () => {
    await appClient?.end();
    await appCtx?.store.close();
    await ownerCtx?.store.close();
    await dropDatabase(adminUrl, database);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`drop role if exists ${app}`);
      await admin.query(`drop role if exists ${owner}`);
    } finally {
      await admin.end();
    }
  });

  it('lets the application role write records and append to the audit log', async () => {
    const ctx = appCtx!;
    const school = await addSchool(ctx, actor, {
      id: 'TESTSCH',
      name: 'Test school',
      location: 'Fort Test, VA',
      department: 'Army',
    });
    expect(school.ok).toBe(true);
    // A restriction: versions, spans, the change counter's trigger and the seat cascade.
    const restriction = await recordRestriction(ctx, actor, {
      country: 'PAK',
      kind: 'policy',
      scope: ['security-assistance'],
      from: '2018-01-04',
      basis: 'Presidential policy decision',
      authority: 'President',
    });
    expect(restriction.ok).toBe(true);
    await auditRead(ctx, actor, { entityType: 'school', entityId: 'TESTSCH' });
    const verified = await verifyAudit(ctx, { deep: true });
    expect(verified).toMatchObject({ ok: true, deep: { ok: true, reads: 1 } });
    const { rows } = await appClient!.query<{ action: string; actor: string }>(
      `select action, actor from audit_log order by seq desc limit 1`,
    );
    expect(rows[0]).toEqual({ action: 'read', actor: actor.id });
  });

  it.each([
    ['update audit_log set actor = $$mallory$$ where seq = 1'],
    ['delete from audit_log where seq = 1'],
    ['truncate audit_log'],
    ['alter table audit_log disable trigger all'],
    ['alter table audit_log disable trigger audit_log_no_update'],
    ['drop trigger audit_log_no_update on audit_log'],
    ['drop trigger audit_log_no_truncate on audit_log'],
    [`alter table audit_log owner to ${app}`],
    ['drop table audit_log'],
    [
      'create or replace function audit_log_append_only() returns trigger language plpgsql as $$ begin return new; end $$',
    ],
    [`set role ${owner}`],
    ['update human_rights_findings set summary = $$erased$$'],
    ['delete from human_rights_findings'],
  ])('refuses the application role: %s', async (statement) => {
    await expect(appClient!.query(statement)).rejects.toMatchObject({ code: '42501' });
  });

  it('leaves the chain as it was after every refused attempt', async () => {
    expect(await verifyAudit(appCtx!)).toMatchObject({ ok: true });
  });

  it('gives the application role tables the owner makes later', async () => {
    const client = new pg.Client({ connectionString: ownerUrl });
    await client.connect();
    try {
      await client.query('create table later_records (id text primary key)');
    } finally {
      await client.end();
    }
    await appClient!.query(`insert into later_records values ('x')`);
    expect((await appClient!.query('select id from later_records')).rows).toEqual([{ id: 'x' }]);
  });

  it('refuses to grant a role that could act as the owner, or when not run by the owner', async () => {
    expect(await grantAppRole(ownerCtx!, actor, 'postgres')).toMatchObject({
      ok: false,
      error: { code: 'RULE.REFUSED', reason: 'ROLE.TOO_STRONG' },
    });
    expect(await grantAppRole(ownerCtx!, actor, owner)).toMatchObject({
      ok: false,
      error: { reason: 'ROLE.TOO_STRONG' },
    });
    expect(await grantAppRole(ownerCtx!, actor, `nobody_${run}`)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await grantAppRole(ownerCtx!, actor, 'app; drop table x')).toMatchObject({
      ok: false,
      error: { code: 'INPUT.INVALID' },
    });
    expect(await grantAppRole(appCtx!, actor, app)).toMatchObject({
      ok: false,
      error: { reason: 'ROLE.NOT_OWNER' },
    });
  });

  it('runs as `attache db grant-app-role`, exit 0 as the owner, 1 as the application', async () => {
    const granted = await runAttache(['db', 'grant-app-role', app], { DATABASE_URL: ownerUrl });
    expect(granted.stderr).toBe('');
    expect(granted.code).toBe(0);
    expect(granted.stdout).toContain(`${app} may read and write the `);
    const refused = await runAttache(['db', 'grant-app-role', app], { DATABASE_URL: appUrl });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^attache: role: run this as the owner of the tables .*\n$/);
  }, 60_000);

  it('refuses a start as the application role while migrations are pending, saying what to run', async () => {
    const owned = new pg.Client({ connectionString: ownerUrl });
    await owned.connect();
    try {
      // As if this build shipped one migration more than the database has applied.
      const { rows } = await owned.query<Record<string, unknown>>(
        'delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations) returning *',
      );
      try {
        const config = { kind: 'postgres', url: appUrl } as const;
        const failure = await openApplication(config).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(describeOpenFailure(failure, config)).toMatch(
          /^DATABASE_URL: this role may not apply the pending migrations \(permission denied .*\): run `attache db migrate` as the owner of the tables first$/,
        );
      } finally {
        const row = rows[0]!;
        await owned.query(
          'insert into drizzle.__drizzle_migrations (id, hash, created_at) values ($1, $2, $3)',
          [row.id, row.hash, row.created_at],
        );
      }
    } finally {
      await owned.end();
    }
  });
});

describe("attache db grant-app-role on the suite's own backend", () => {
  it('refuses what it cannot grant, naming the role, and writes nothing', async () => {
    const db = await openTestDatabase('empty');
    try {
      // The embedded database has one user and no roles to keep apart; on PostgreSQL a name that
      // is no plain role name is refused before it reaches SQL.
      const role = inject('databaseBackend') === 'pglite' ? 'anyone' : 'app; drop table audit_log';
      expect(await grantAppRole(db.ctx, actor, role)).toMatchObject({
        ok: false,
        error: { code: 'INPUT.INVALID', field: 'role' },
      });
    } finally {
      await db.close();
    }
  });
});
