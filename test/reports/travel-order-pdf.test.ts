// The ITO PDF: reproducible bytes, and (with poppler) a page a person can read with every field on it.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isoDate } from '../../src/core/dates.js';
import type { Allowance } from '../../src/core/students/allowance.js';
import type { TravelOrder, TravelOrderLine } from '../../src/core/students/travel-order.js';
import { renderTravelOrderPdf } from '../../src/reports/travel-order-pdf.js';
import { needPoppler, run } from '../support/poppler.js';

const ENTRY_TEST =
  'Pakistan is exempt from in-country English testing: an entry ECL test is due on arrival';

/** A Pakistani officer's order for the Command and General Staff course at Fort Leavenworth. */
function travelOrder(overrides: Partial<TravelOrder> = {}): TravelOrder {
  const line: TravelOrderLine = {
    courseId: 'B171005',
    title: 'Command and General Staff Officer Course (CGSOC)',
    schoolId: 'CGSC',
    schoolName: 'US Army Command and General Staff College',
    location: 'Fort Leavenworth, KS',
    classStart: isoDate('2020-08-03'),
    classEnd: isoDate('2021-06-12'),
    lengthWeeks: 45,
    program: 'IMET',
    fiscalYear: 2020,
    tuitionCents: 6_412_300,
  };
  const allowance: Allowance = {
    installation: 'Fort Leavenworth, KS',
    from: isoDate('2020-07-27'),
    until: isoDate('2021-06-12'),
    days: 320,
    perDay: { lodgingCents: 2_500, mealsCents: 1_900, incidentalsCents: 500 },
    lodgingCents: 800_000,
    mealsCents: 608_000,
    incidentalsCents: 160_000,
    dependentsCents: 0,
    totalCents: 1_568_000,
    basis: [
      'Lodging at $25.00 a day: government quarters at Fort Leavenworth, KS.',
      'Meals at $19.00 a day: the student does not eat in the government mess.',
      'Incidentals at $5.00 a day for 320 days, from the report date to the last day of class.',
      'No allowance for dependents: none are authorised to accompany the student.',
    ],
  };
  return {
    number: 'ITO-PAK-2020-0001',
    revision: 0,
    issuedOn: isoDate('2020-06-15'),
    amendmentReason: null,
    lateReason: null,
    seatId: 'seat-pak-2020-cgsc-01',
    student: {
      id: 'stu-pak-0001',
      familyName: 'Khan',
      givenNames: 'Mohammad Ali',
      country: 'PAK',
      countryName: 'Pakistan',
      birthDate: isoDate('1983-03-14'),
      birthPlace: 'Rawalpindi, Pakistan',
      service: 'Pakistan Army',
      rank: 'Major',
      usGrade: 'O-4',
      serviceNumber: 'PA-41827',
      unit: '11th Battalion, The Punjab Regiment',
      passportNumber: 'AB1234567',
      passportExpiresOn: isoDate('2025-02-28'),
      visaIssuedOn: isoDate('2020-06-02'),
      visaValidUntil: isoDate('2021-08-31'),
    },
    reportTo: {
      date: isoDate('2020-07-27'),
      installation: 'Fort Leavenworth, KS',
      school: 'US Army Command and General Staff College',
    },
    lines: [line],
    tuitionCents: 6_412_300,
    allowance,
    dependentsAuthorised: 0,
    dependentsNote:
      'No dependents are authorised to accompany the student at US government expense.',
    medicalTerms:
      'Medical and dental screening passed on 2020-05-20. Emergency medical care is provided under the ' +
      'IMET health insurance; elective and pre-existing conditions are at the student\u2019s own expense.',
    englishNote: `Latest ECL score 82 (2020-02-11) relied on against a course minimum of 80. ${ENTRY_TEST} (2020-07-28).`,
    attache: {
      name: 'COL Jane R. Doe, US Defense Attaché, Islamabad',
      consultedOn: isoDate('2020-04-30'),
    },
    gates: [
      {
        gate: 'Leahy vetting (person)',
        status: 'approved',
        reason: 'Approved 2020-05-04, valid until 2021-05-04.',
      },
      { gate: 'Leahy vetting (unit)', status: 'approved', reason: 'Unit approved 2020-03-18.' },
      { gate: 'Medical and dental', status: 'passed', reason: 'Both passed on 2020-05-20.' },
      {
        gate: 'Insurance',
        status: 'covered',
        reason: 'IMET health insurance from the report date.',
      },
      { gate: 'Security', status: 'cleared', reason: 'Cleared 2020-05-12.' },
      {
        gate: 'Passport and visa',
        status: 'issued',
        reason: 'Passport valid to 2025-02-28; A-2 visa issued 2020-06-02.',
      },
      {
        gate: 'English',
        status: 'met',
        reason: 'ECL 82 meets the minimum 80; entry test on arrival.',
      },
    ],
    ...overrides,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'ito-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function writePdf(name: string, order: TravelOrder): Promise<string> {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, await renderTravelOrderPdf(order));
  return file;
}

describe('renderTravelOrderPdf', () => {
  it('renders a PDF', async () => {
    const pdf = await renderTravelOrderPdf(travelOrder());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
  });

  it('gives the same bytes for the same order, dated by the order and not the clock', async () => {
    const first = await renderTravelOrderPdf(travelOrder());
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await renderTravelOrderPdf(travelOrder());
    expect(first.equals(second)).toBe(true);
    expect(first.toString('latin1')).toContain('(D:20200615000000Z)');
    const later = await renderTravelOrderPdf(travelOrder({ issuedOn: isoDate('2020-06-16') }));
    expect(later.equals(first)).toBe(false);
  });

  it('draws page 1 as an image with content on it', async (ctx) => {
    needPoppler(ctx);
    const file = await writePdf('page', travelOrder());
    run('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, join(dir, 'page')]);
    const png = join(dir, 'page-1.png');
    expect(statSync(png).size).toBeGreaterThan(5 * 1024);
  });

  it('carries the student, the report date, the order number and the English entry test', async (ctx) => {
    needPoppler(ctx);
    const text = run('pdftotext', ['-layout', await writePdf('text', travelOrder()), '-']);
    for (const expected of [
      'INVITATIONAL TRAVEL ORDER',
      'KHAN, Mohammad Ali',
      '2020-07-27',
      'ITO-PAK-2020-0001',
      'B171005',
      '$64,123.00',
      '$15,680.00',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text.replace(/\s+/g, ' ')).toContain(ENTRY_TEST);
    expect(text).toMatch(/Page 1 of \d/);
    expect(text).not.toContain('Amendment');
  });

  it('names an amendment and its reason', async (ctx) => {
    needPoppler(ctx);
    const order = travelOrder({
      revision: 2,
      amendmentReason: 'Report date moved after the visa was reissued.',
    });
    const text = run('pdftotext', ['-layout', await writePdf('amended', order), '-']);
    expect(text).toContain('Amendment 2');
    expect(text).toContain('Report date moved after the visa was reissued.');
  });

  it('prints the late reason of an order issued after its class started (issue #10)', async (ctx) => {
    needPoppler(ctx);
    const order = travelOrder({
      issuedOn: isoDate('2020-08-10'),
      lateReason: 'Visa issued 2020-08-05; the school agreed to a late arrival.',
    });
    const text = run('pdftotext', ['-layout', await writePdf('late', order), '-']);
    expect(text).toMatch(/issued late \(class started 2020-08-03\): reason/i);
    expect(text).toContain('Visa issued 2020-08-05; the school agreed to a late arrival.');
    const onTime = run('pdftotext', ['-layout', await writePdf('on-time', travelOrder()), '-']);
    expect(onTime).not.toMatch(/issued late/i);
  });

  it('prints letters the standard fonts lack without their accents, never as garbage', async (ctx) => {
    needPoppler(ctx);
    const base = travelOrder();
    const order = travelOrder({
      student: { ...base.student, familyName: 'Şahin', givenNames: 'José Nguyễn' },
    });
    const text = run('pdftotext', ['-layout', await writePdf('accents', order), '-']);
    expect(text).toContain('SAHIN, José Nguyen');
  });

  it('wraps long text onto numbered pages and keeps every word inside the page', async (ctx) => {
    needPoppler(ctx);
    const long =
      'The student must report to the international military student office before signing in. '.repeat(
        12,
      );
    const base = travelOrder();
    const order = travelOrder({
      lines: Array.from({ length: 8 }, (_, i) => ({
        ...base.lines[0]!,
        courseId: `B17100${i}`,
        title: `${base.lines[0]!.title} phase ${i + 1}`,
      })),
      medicalTerms: long,
      englishNote: long,
      student: { ...base.student, unit: long.repeat(2) },
      gates: [
        ...base.gates,
        ...base.gates.map((g) => ({ ...g, reason: long })),
        { gate: 'Taller than a page', status: 'cut', reason: long.repeat(8) },
      ],
    });
    const file = await writePdf('long', order);
    const text = run('pdftotext', ['-layout', file, '-']);
    const pages = /Page 1 of (\d+)/.exec(text);
    expect(Number(pages?.[1])).toBeGreaterThan(1);
    expect(text).toContain(`Page ${pages?.[1]} of ${pages?.[1]}`);
    const boxes = run('pdftotext', ['-bbox', file, '-']);
    const page = /<page width="([\d.]+)" height="([\d.]+)"/.exec(boxes);
    const [width, height] = [Number(page?.[1]), Number(page?.[2])];
    const words = [
      ...boxes.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"/g),
    ];
    expect(words.length).toBeGreaterThan(100);
    for (const [, xMin, yMin, xMax, yMax] of words) {
      expect(Number(xMin)).toBeGreaterThanOrEqual(36);
      expect(Number(xMax)).toBeLessThanOrEqual(width - 36);
      expect(Number(yMin)).toBeGreaterThanOrEqual(36);
      expect(Number(yMax)).toBeLessThanOrEqual(height - 24);
    }
  });
});
