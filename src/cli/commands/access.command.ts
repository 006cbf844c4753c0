// `attache user add|list` and `attache token create|list|revoke`: accounts and API tokens. The
// command line acts as the operator who holds the data dir or the database URL (an admin).
import type { Command } from 'commander';
import { ROLES } from '../../core/actor.js';
import {
  addUser,
  createToken,
  listTokenViews,
  listUsers,
  revokeToken,
} from '../../services/access/account.service.js';
import { cliActor, withApp } from '../context.js';
import { failureOf, printJson, table, type Output } from '../output.js';

const list = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');

export function registerAccessCommands(program: Command, output: Output): void {
  const user = program
    .command('user')
    .description('accounts: add (prints a generated password once), list');
  user
    .command('add')
    .description('add an account; prints its generated password once')
    .requiredOption('--email <email>', 'the login')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--name <name>', 'display name (default: the email)')
    .option('--countries <ISO3,…>', 'an SCO: the countries served')
    .option('--schools <ids>', 'an IMSO: the schools served')
    .option('--json', 'print {id, email, role, password}')
    .action(
      async (o: {
        email: string;
        role: string;
        name?: string;
        countries?: string;
        schools?: string;
        json?: boolean;
      }) => {
        const result = await withApp((ctx) =>
          addUser(ctx, cliActor(), {
            email: o.email,
            role: o.role,
            name: o.name,
            countries: list(o.countries),
            schools: list(o.schools),
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        const { user: added, password } = result.value;
        if (o.json === true)
          return printJson(output, {
            id: added.id,
            email: added.email,
            role: added.role,
            countries: added.countries,
            schools: added.schools,
            password,
          });
        const scope = [...added.countries, ...added.schools].join(', ');
        output.out(`added ${added.email} (${added.role}${scope === '' ? '' : `: ${scope}`})`);
        output.out(`password: ${password}`);
        output.out('it is shown this once: hand it over now; only its hash is kept');
      },
    );
  user
    .command('list')
    .description('every account with its role and scopes')
    .option('--json', 'print the list')
    .action(async (o: { json?: boolean }) => {
      const result = await withApp((ctx) => listUsers(ctx, cliActor()));
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      output.out(
        table([
          ['EMAIL', 'ROLE', 'SCOPE', 'SIGN-IN'],
          ...result.value.map((u) => [
            u.email,
            u.role,
            [...u.countries, ...u.schools].join(',') || 'all',
            u.disabled ? 'disabled' : u.sso ? 'single sign-on' : 'password',
          ]),
        ]),
      );
    });

  const token = program
    .command('token')
    .description('API tokens for scripts: create (shown once), list, revoke');
  token
    .command('create')
    .description("create a token acting with a user's role and scopes; prints it once")
    .requiredOption('--email <email>', 'the user the token acts for')
    .option('--expires <date>', 'the day it stops working (00:00 UTC), YYYY-MM-DD (default: never)')
    .option('--json', 'print {id, token, expiresAt}')
    .action(async (o: { email: string; expires?: string; json?: boolean }) => {
      const result = await withApp((ctx) =>
        createToken(ctx, cliActor(), { email: o.email, expires: o.expires }),
      );
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      output.out(`token ${result.value.id} for ${o.email.trim().toLowerCase()}`);
      output.out(result.value.token);
      output.out(
        `send it as Authorization: Bearer <token>; expires ${result.value.expiresAt ?? 'never'}; shown this once`,
      );
    });
  token
    .command('list')
    .description('every token: owner, expiry, revocation, last use (never the secret)')
    .option('--json', 'print the list')
    .action(async (o: { json?: boolean }) => {
      const result = await withApp((ctx) => listTokenViews(ctx, cliActor()));
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      output.out(
        table([
          ['ID', 'USER', 'EXPIRES', 'REVOKED', 'LAST USED'],
          ...result.value.map((t) => [
            t.id,
            t.email,
            t.expiresAt ?? 'never',
            t.revokedAt ?? '',
            t.lastUsedAt ?? '',
          ]),
        ]),
      );
    });
  token
    .command('revoke')
    .description('revoke a token: it stops working at once, on every server')
    .argument('<id>', 'the token id (tok_…)')
    .option('--json', 'print the revoked token')
    .action(async (id: string, o: { json?: boolean }) => {
      const result = await withApp((ctx) => revokeToken(ctx, cliActor(), id));
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      output.out(`revoked ${id} (${result.value.email})`);
    });
}
