// Keeps reference data (countries and their legal flags, programs, groups) in step with the packages.
import { ROLE_DESCRIPTIONS, ROLES, systemActor } from '../../core/actor.js';
import { PROGRAM_GROUPS, PROGRAM_NAMES, PROGRAMS } from '../../core/programs.js';
import { ALL_COUNTRIES } from '../../core/reference/countries.js';
import { countryFlags } from '../../core/reference/country-flags.js';
import { ok, type Result } from '../../core/result.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import type { Executor } from '../../store/database.js';
import {
  insertCountry,
  insertProgram,
  insertProgramGroup,
  addProgramGroupMembers,
  insertRole,
  readCountries,
  readProgramCodes,
  readProgramGroups,
  readRoles,
  updateCountry,
  type CountryRow,
} from '../../store/reference.repository.js';
import type { AppContext } from '../context.js';
import { writeTransaction } from '../unit-of-work.js';

export interface ReferenceSync {
  readonly countriesAdded: number;
  readonly countriesUpdated: number;
  readonly programsAdded: number;
}

/** The country rows the reference packages describe today. */
export function expectedCountries(): CountryRow[] {
  return ALL_COUNTRIES.map((c) => ({
    iso3: c.iso3,
    iso2: c.iso2,
    name: c.name,
    ...countryFlags(c.iso3),
  }));
}

function sameCountry(a: CountryRow, b: CountryRow): boolean {
  return (
    a.iso2 === b.iso2 &&
    a.name === b.name &&
    a.natoMember === b.natoMember &&
    a.fmtReportExcluded === b.fmtReportExcluded &&
    a.grantImetExcluded === b.grantImetExcluded
  );
}

/** Whether the stored reference data differs from the packages' (read only). */
async function referenceDataDiffers(db: Executor): Promise<boolean> {
  const stored = new Map((await readCountries(db)).map((c) => [c.iso3, c]));
  for (const country of expectedCountries()) {
    const before = stored.get(country.iso3);
    if (before === undefined || !sameCountry(before, country)) return true;
  }
  const [programs, groups, roles] = await Promise.all([
    readProgramCodes(db),
    readProgramGroups(db),
    readRoles(db),
  ]);
  return (
    PROGRAMS.some((code) => !programs.has(code)) ||
    Object.entries(PROGRAM_GROUPS).some(([code, members]) =>
      members.some((m) => groups.get(code)?.includes(m) !== true),
    ) ||
    ROLES.some((code) => !roles.has(code))
  );
}

/**
 * Adds or updates what changed (audited). Reads first and opens no transaction when nothing
 * changed, so opening a current database writes nothing.
 */
export async function syncReferenceData(ctx: AppContext): Promise<Result<ReferenceSync>> {
  if (!(await referenceDataDiffers(ctx.store.db))) {
    return ok({ countriesAdded: 0, countriesUpdated: 0, programsAdded: 0 });
  }
  return writeTransaction(ctx, systemActor('reference-data'), 'reference.write', async (tx) => {
    const audit: AuditRecord[] = [];
    const stored = new Map((await readCountries(tx)).map((c) => [c.iso3, c]));
    let added = 0;
    let updated = 0;
    for (const country of expectedCountries()) {
      const before = stored.get(country.iso3);
      if (before === undefined) {
        await insertCountry(tx, country);
        added++;
        audit.push({
          action: 'country.add',
          entityType: 'country',
          entityId: country.iso3,
          after: country,
        });
      } else if (!sameCountry(before, country)) {
        await updateCountry(tx, country);
        updated++;
        audit.push({
          action: 'country.update',
          entityType: 'country',
          entityId: country.iso3,
          before,
          after: country,
        });
      }
    }
    const programs = await readProgramCodes(tx);
    let programsAdded = 0;
    for (const code of PROGRAMS) {
      if (!programs.has(code)) {
        await insertProgram(tx, code, PROGRAM_NAMES[code]);
        programsAdded++;
        audit.push({
          action: 'program.add',
          entityType: 'program',
          entityId: code,
          after: { code, name: PROGRAM_NAMES[code] },
        });
      }
    }
    const groups = await readProgramGroups(tx);
    for (const [code, members] of Object.entries(PROGRAM_GROUPS)) {
      const stored = groups.get(code);
      if (stored === undefined) {
        await insertProgramGroup(tx, code, members);
        audit.push({
          action: 'program-group.add',
          entityType: 'program-group',
          entityId: code,
          after: { code, members },
        });
      } else if (members.some((m) => !stored.includes(m))) {
        await addProgramGroupMembers(
          tx,
          code,
          members.filter((m) => !stored.includes(m)),
        );
        audit.push({
          action: 'program-group.update',
          entityType: 'program-group',
          entityId: code,
          before: { code, members: stored },
          after: { code, members },
        });
      }
    }
    const storedRoles = await readRoles(tx);
    for (const code of ROLES) {
      if (!storedRoles.has(code)) {
        await insertRole(tx, code, ROLE_DESCRIPTIONS[code]);
        audit.push({
          action: 'role.add',
          entityType: 'role',
          entityId: code,
          after: { code, description: ROLE_DESCRIPTIONS[code] },
        });
      }
    }
    return ok({
      value: { countriesAdded: added, countriesUpdated: updated, programsAdded },
      audit,
    });
  });
}
