// Programs (funding accounts) and the groups that restriction scopes name (DESIGN §3).

export const PROGRAMS = [
  'IMET',
  'FMF',
  'PKO',
  'INCLE',
  'NADR',
  'EDA',
  'CTFP',
  'FMS',
  'DCS',
  'SEC333',
] as const;
export type ProgramCode = (typeof PROGRAMS)[number];

export const PROGRAM_GROUPS = {
  'security-assistance': ['IMET', 'FMF', 'PKO', 'INCLE', 'NADR'],
  dod: ['CTFP', 'SEC333'],
  sales: ['FMS', 'DCS'],
} as const satisfies Record<string, readonly ProgramCode[]>;
export type ProgramGroup = keyof typeof PROGRAM_GROUPS;

export const PROGRAM_NAMES: Readonly<Record<ProgramCode, string>> = {
  IMET: 'International Military Education and Training',
  FMF: 'Foreign Military Financing',
  PKO: 'Peacekeeping Operations',
  INCLE: 'International Narcotics Control and Law Enforcement',
  NADR: 'Nonproliferation, Anti-terrorism, Demining and Related Programs',
  EDA: 'Excess Defense Articles (grant transfers, 22 USC 2321j)',
  CTFP: 'Combating Terrorism Fellowship Program',
  FMS: 'Foreign Military Sales (purchaser-funded)',
  DCS: 'Direct Commercial Sales (export licences for defense articles and services)',
  SEC333: 'DoD building partner capacity (10 USC 333)',
};

export function isProgramCode(text: string): text is ProgramCode {
  return (PROGRAMS as readonly string[]).includes(text);
}

export function isProgramGroup(text: string): text is ProgramGroup {
  return Object.hasOwn(PROGRAM_GROUPS, text);
}

/**
 * Expands a scope of program codes and group names into sorted, distinct program codes.
 * Returns the first unknown term instead when there is one.
 * @example expandScope(['security-assistance']) // { ok: true, programs: ['FMF','IMET','INCLE','NADR','PKO'] }
 */
export function expandScope(
  terms: readonly string[],
): { ok: true; programs: ProgramCode[] } | { ok: false; unknown: string } {
  const programs = new Set<ProgramCode>();
  for (const term of terms) {
    if (isProgramCode(term)) programs.add(term);
    else if (isProgramGroup(term)) for (const p of PROGRAM_GROUPS[term]) programs.add(p);
    else return { ok: false, unknown: term };
  }
  return { ok: true, programs: [...programs].sort() };
}
