import { describe, expect, it } from 'vitest';
import {
  count,
  gateTitle,
  GATE_LABELS,
  orderGates,
  screeningFor,
  seatStatusText,
} from './gates.js';

describe('the gate checklist as shown', () => {
  it('puts red gates first, then green, then not applicable, keeping the order within each', () => {
    const gates = [
      { gate: 'leahy-person', status: 'green' },
      { gate: 'medical', status: 'red' },
      { gate: 'english', status: 'not-applicable' },
      { gate: 'visa', status: 'red' },
      { gate: 'opi', status: 'green' },
    ] as const;
    expect(orderGates(gates).map((g) => g.gate)).toEqual([
      'medical',
      'visa',
      'leahy-person',
      'opi',
      'english',
    ]);
  });

  it('names the screening that clears a gate, none for the unit vetting', () => {
    expect(screeningFor('english')).toBe('ecl');
    expect(screeningFor('leahy-person')).toBe('leahy-person');
    expect(screeningFor('leahy-unit')).toBeUndefined();
  });

  it('says statuses and counts in words', () => {
    expect(seatStatusText('ito-issued')).toBe('travel order issued');
    expect(seatStatusText('not-completed')).toBe('not completed');
    expect(count(1, 'gate')).toBe('1 gate');
    expect(count(3, 'gate')).toBe('3 gates');
    expect(gateTitle('medical')).toBe('Medical examination');
    expect(GATE_LABELS.medical).toBe('medical examination');
    expect(gateTitle('leahy-person')).toBe('Leahy vetting of the person');
  });
});
