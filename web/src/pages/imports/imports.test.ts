import { describe, expect, it } from 'vitest';
import { csvOnly, importableKinds, isEntitySummary, isHistorySummary } from './imports.js';

const history = {
  file: 'restrictions.csv',
  sha256: 'a'.repeat(64),
  rows: 281,
  dryRun: true,
  created: 270,
  updated: 0,
  unchanged: 0,
  restrictions: 187,
  reliefs: 83,
  lifts: 21,
  inferred: 16,
  notes: 5,
  byKind: { coup: 32 },
  runId: null,
};

describe('the import page', () => {
  it('offers the restriction history to those who write restrictions, as one CSV file', () => {
    const pm = importableKinds(() => true).map((c) => c.kind);
    expect(pm).toContain('history');
    const sco = importableKinds((c) => c === 'students.write' || c === 'training.write');
    expect(sco.map((c) => c.kind)).not.toContain('history');
    expect(csvOnly('history')).toBe(true);
    expect(csvOnly('courses')).toBe(false);
  });

  it('tells a history summary from an entity summary (both count rows)', () => {
    expect(isHistorySummary(history)).toBe(true);
    expect(isEntitySummary(history)).toBe(false);
    const courses = {
      kind: 'courses',
      file: 'c.csv',
      sha256: '',
      rows: 3,
      dryRun: false,
      created: 3,
      updated: 0,
      unchanged: 0,
      runId: 'imp_1',
    };
    expect(isEntitySummary(courses)).toBe(true);
    expect(isHistorySummary(courses)).toBe(false);
  });
});
