// Reference data: countries with their legal flags, programs and program groups.
import { asc, eq } from 'drizzle-orm';
import type { Executor } from './database.js';
import { countries, programGroupMembers, programGroups, programs, roles } from './schema.js';

export interface CountryRow {
  readonly iso3: string;
  readonly iso2: string;
  readonly name: string;
  readonly natoMember: boolean;
  readonly fmtReportExcluded: boolean;
  readonly grantImetExcluded: boolean;
}

export async function readCountries(db: Executor): Promise<CountryRow[]> {
  return db.select().from(countries).orderBy(asc(countries.name));
}

export async function findCountryRow(db: Executor, iso3: string): Promise<CountryRow | undefined> {
  const [row] = await db.select().from(countries).where(eq(countries.iso3, iso3));
  return row;
}

export async function insertCountry(tx: Executor, row: CountryRow): Promise<void> {
  await tx.insert(countries).values(row);
}

export async function updateCountry(tx: Executor, row: CountryRow): Promise<void> {
  await tx.update(countries).set(row).where(eq(countries.iso3, row.iso3));
}

export async function readProgramCodes(db: Executor): Promise<Map<string, string>> {
  const rows = await db.select().from(programs);
  return new Map(rows.map((r) => [r.code, r.name]));
}

export async function insertProgram(tx: Executor, code: string, name: string): Promise<void> {
  await tx.insert(programs).values({ code, name });
}

export async function readProgramGroups(db: Executor): Promise<Map<string, string[]>> {
  const rows = await db.select().from(programGroupMembers);
  const groups = new Map<string, string[]>();
  for (const g of await db.select().from(programGroups)) groups.set(g.code, []);
  for (const r of rows) groups.get(r.groupCode)?.push(r.programCode);
  return groups;
}

/** Adds programs to an existing group (a group never loses a member: old records name it). */
export async function addProgramGroupMembers(
  tx: Executor,
  code: string,
  members: readonly string[],
): Promise<void> {
  if (members.length === 0) return;
  await tx
    .insert(programGroupMembers)
    .values(members.map((programCode) => ({ groupCode: code, programCode })));
}

export async function insertProgramGroup(
  tx: Executor,
  code: string,
  members: readonly string[],
): Promise<void> {
  await tx.insert(programGroups).values({ code });
  if (members.length > 0) {
    await tx
      .insert(programGroupMembers)
      .values(members.map((programCode) => ({ groupCode: code, programCode })));
  }
}

export async function readRoles(db: Executor): Promise<Map<string, string>> {
  const rows = await db.select().from(roles);
  return new Map(rows.map((r) => [r.code, r.description]));
}

export async function insertRole(tx: Executor, code: string, description: string): Promise<void> {
  await tx.insert(roles).values({ code, description });
}
