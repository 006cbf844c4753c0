// Demo mode's accounts: one per role, so a person trying Attaché can sign in as each user of
// DESIGN §2. Made only while no account exists, on the one road (applyAddUser); the passwords are
// generated and returned once, for the start banner and the data dir's demo-accounts.txt.
import type { Actor, Role } from '../../core/actor.js';
import { err, ok, type Result } from '../../core/result.js';
import { countAccounts } from '../../store/access.repository.js';
import { applyAddUser, parseUser } from '../access/account.service.js';
import { generatePassword } from '../access/secrets.js';
import type { AppContext } from '../context.js';
import { writeTransaction } from '../unit-of-work.js';

export interface DemoAccount {
  readonly email: string;
  readonly role: Role;
  readonly scope: string;
  readonly password: string;
}

const DEMO_USERS = [
  { email: 'admin@demo.attache', role: 'admin', name: 'Demo administrator' },
  { email: 'pm@demo.attache', role: 'program-manager', name: 'Demo program manager' },
  { email: 'sco.pak@demo.attache', role: 'sco', name: 'Demo SCO, Pakistan', countries: ['PAK'] },
  { email: 'imso.cgsc@demo.attache', role: 'imso', name: 'Demo IMSO, CGSC', schools: ['CGSC'] },
  { email: 'analyst@demo.attache', role: 'analyst', name: 'Demo analyst' },
] as const;

/**
 * Creates the demo accounts when the database has none; null when accounts exist already.
 * `keep` is given the passwords before the accounts are committed: only their hashes are stored,
 * so a process killed between the commit and writing them down would lose them for good. Kept
 * first, a kill before the commit leaves passwords of accounts that were never made, which the
 * next start (no accounts yet) makes and keeps again.
 */
export async function createDemoAccounts(
  ctx: AppContext,
  actor: Actor,
  keep: (accounts: readonly DemoAccount[]) => void = () => undefined,
): Promise<Result<DemoAccount[] | null>> {
  if ((await countAccounts(ctx.store.db)) > 0) return ok(null);
  const created = await writeTransaction(ctx, actor, 'users.manage', async (tx, now) => {
    if ((await countAccounts(tx)) > 0) return ok({ value: null, audit: [] });
    // Each attempt its own (a write tried again makes new passwords, kept again).
    const accounts: DemoAccount[] = [];
    const audit = [];
    for (const spec of DEMO_USERS) {
      const parsed = parseUser(spec);
      if (!parsed.ok) return parsed;
      const password = generatePassword();
      const added = await applyAddUser(tx, ctx, now, parsed.value, password);
      if (!added.ok) return added;
      audit.push(...added.value.audit);
      const scope = [...added.value.value.countries, ...added.value.value.schools].join(', ');
      accounts.push({ email: spec.email, role: spec.role, scope: scope || 'all', password });
    }
    keep(accounts);
    return ok({ value: accounts, audit });
  });
  if (!created.ok) return err(created.error);
  return ok(created.value);
}

/** The text of demo-accounts.txt (and of the banner's account lines). */
export function describeDemoAccounts(accounts: readonly DemoAccount[]): string[] {
  const width = Math.max(...accounts.map((a) => a.email.length));
  return accounts.map(
    (a) =>
      `${a.email.padEnd(width)}  ${a.password}  ${a.role}${a.scope === 'all' ? '' : ` (${a.scope})`}`,
  );
}
