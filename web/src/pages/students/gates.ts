// How the gate checklist is shown: the API decides each gate; the page orders them (red first),
// names them for people and says which screening form clears a red one.
import type { GateResult, ScreeningKind } from './students-api.js';

export type GateName = GateResult['gate'];

/** Each gate named as it reads inside a sentence ("Next: record the medical examination"). */
export const GATE_LABELS: Readonly<Record<GateName, string>> = {
  'leahy-person': 'Leahy vetting of the person',
  'leahy-unit': 'Leahy vetting of the unit',
  medical: 'medical examination',
  dental: 'dental examination',
  insurance: 'health insurance',
  security: 'security clearance',
  passport: 'passport',
  visa: 'visa',
  english: 'English (ECL)',
  opi: 'oral proficiency (OPI)',
};

/** A gate's name as a heading: its first letter in capitals. */
export function gateTitle(gate: GateName): string {
  const label = GATE_LABELS[gate];
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export const SCREENING_LABELS: Readonly<Record<ScreeningKind, string>> = {
  'leahy-person': 'Leahy vetting (person)',
  medical: 'Medical',
  dental: 'Dental',
  insurance: 'Insurance',
  security: 'Security',
  passport: 'Passport check',
  visa: 'Visa',
  'designation-7031c': '7031(c) designation',
  ecl: 'ECL test',
  opi: 'OPI',
};

/** The outcomes the API accepts for each kind (the API checks them; the form offers them). */
export const SCREENING_OUTCOMES: Readonly<Record<ScreeningKind, readonly string[]>> = {
  'leahy-person': ['approved', 'suspended', 'denied'],
  medical: ['passed', 'failed'],
  dental: ['passed', 'failed'],
  insurance: ['covered', 'not-covered'],
  security: ['cleared', 'refused'],
  passport: ['valid', 'invalid'],
  visa: ['issued', 'pending', 'refused'],
  'designation-7031c': ['designated', 'not-designated'],
  ecl: ['scored'],
  opi: ['scored'],
};

/** The screening that clears a gate, when a screening can (the unit's vetting is the unit's). */
const CLEARED_BY: Readonly<Partial<Record<GateName, ScreeningKind>>> = {
  'leahy-person': 'leahy-person',
  medical: 'medical',
  dental: 'dental',
  insurance: 'insurance',
  security: 'security',
  passport: 'passport',
  visa: 'visa',
  english: 'ecl',
  opi: 'opi',
};

export function screeningFor(gate: GateName): ScreeningKind | undefined {
  return CLEARED_BY[gate];
}

const RANK: Readonly<Record<GateResult['status'], number>> = {
  red: 0,
  green: 1,
  'not-applicable': 2,
};

/** Red gates first, then green, then not applicable; the API's order within each. */
export function orderGates<T extends Pick<GateResult, 'status'>>(gates: readonly T[]): T[] {
  return gates
    .map((gate, index) => ({ gate, index }))
    .sort((a, b) => RANK[a.gate.status] - RANK[b.gate.status] || a.index - b.index)
    .map(({ gate }) => gate);
}

export const STATUS_WORDS: Readonly<
  Record<GateResult['status'], { text: string; tone: 'ok' | 'blocked' | 'neutral' }>
> = {
  red: { text: 'Red: blocks', tone: 'blocked' },
  green: { text: 'Green', tone: 'ok' },
  'not-applicable': { text: 'Not applicable', tone: 'neutral' },
};

/** A seat status in words. */
export function seatStatusText(status: string): string {
  return status === 'ito-issued' ? 'travel order issued' : status.replace(/-/g, ' ');
}

/** A student's name as the passport writes it: FAMILY, Given. */
export function passportName(s: { familyName: string; givenNames: string }): string {
  return `${s.familyName}, ${s.givenNames}`;
}

/** Words of a count: "1 gate", "3 gates". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
