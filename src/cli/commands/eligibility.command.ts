// `attache eligibility ISO3 PROGRAM --on D` and `attache timeline ISO3`.
import type { Command } from 'commander';
import type { Decision } from '../../core/eligibility/engine.js';
import { PROGRAMS } from '../../core/programs.js';
import { shownDate } from '../../core/date-precision.js';
import { checkEligibility } from '../../services/eligibility/eligibility.service.js';
import { getTimeline } from '../../services/eligibility/timeline.service.js';
import { withApp } from '../context.js';
import { dateOption, instantOption } from '../options.js';
import { failureOf, printJson, type Output } from '../output.js';

/** One verdict line, then one line per reason. */
export function describeDecision(d: Decision): string[] {
  const subject = `${d.country} ${d.program}${d.course === null ? '' : ` (course ${d.course})`} on ${d.on}${d.knownOn === null ? '' : `, as known on ${d.knownOn}`}`;
  const verdict = d.eligible
    ? `${subject}: ELIGIBLE${d.conditions.length > 0 ? ' with conditions' : ''}`
    : `${subject}: BLOCKED`;
  const lines = [verdict];
  if (d.restrictions.length === 0) lines.push('  no restriction applies');
  for (const r of d.restrictions) lines.push(`  ${r.status}: ${r.reason}`);
  for (const c of d.conditions) lines.push(`  condition: ${c}`);
  for (const p of d.pending) lines.push(`  pending: ${p.reason}`);
  for (const n of d.precision) lines.push(`  imprecise date: ${n}`);
  if (d.coverage !== null) lines.push(`  coverage: ${d.coverage.note}`);
  return lines;
}

export function registerEligibilityCommands(program: Command, output: Output): void {
  program
    .command('eligibility')
    .description(
      'is a country eligible for a program on a date, and why (exit 0 whatever the verdict)',
    )
    .argument('<iso3>', 'ISO 3166-1 alpha-3 code')
    .argument('<program>', `a program: ${PROGRAMS.join(', ')}`)
    .requiredOption('--on <date>', 'the date asked about, YYYY-MM-DD', dateOption('--on'))
    .option(
      '--known-on <timestamp>',
      'answer as the record stood at this ISO 8601 instant',
      instantOption('--known-on'),
    )
    .option('--course <id>', 'a course of the catalog')
    .option('--json', 'print the decision object')
    .action(
      async (
        iso3: string,
        programCode: string,
        o: { on: string; knownOn?: string; course?: string; json?: boolean },
      ) => {
        const result = await withApp((ctx) =>
          checkEligibility(ctx, {
            country: iso3,
            program: programCode,
            on: o.on,
            knownOn: o.knownOn,
            course: o.course,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) return printJson(output, result.value);
        for (const line of describeDecision(result.value)) output.out(line);
      },
    );

  program
    .command('timeline')
    .description("a country's restrictions, reliefs, notifications and allocations over time")
    .argument('<iso3>', 'ISO 3166-1 alpha-3 code')
    .option(
      '--known-on <timestamp>',
      'as the record stood at this ISO 8601 instant',
      instantOption('--known-on'),
    )
    .option('--json', 'print the timeline object')
    .action(async (iso3: string, o: { knownOn?: string; json?: boolean }) => {
      const result = await withApp((ctx) => getTimeline(ctx, iso3, o.knownOn));
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      const t = result.value;
      output.out(`${t.country} timeline${t.knownOn === null ? '' : `, as known on ${t.knownOn}`}`);
      // A month or year date is shown as such, never as the 1st of it.
      const dates = t.events.map((e) => shownDate(e.date, e.dateQuality));
      const width = Math.max(10, ...dates.map((d) => d.length));
      for (const [i, e] of t.events.entries())
        output.out(`${dates[i]!.padEnd(width)}  ${e.type.padEnd(17)}  ${e.id}  ${e.summary}`);
    });
}
