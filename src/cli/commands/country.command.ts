// `attache country list|show`: the same objects as GET /api/v1/countries[/{iso3}].
import type { Command } from 'commander';
import { shownDate } from '../../core/date-precision.js';
import { formatUsd } from '../../core/money.js';
import {
  getCountry,
  listCountries,
  type CountrySummary,
} from '../../services/countries/country.service.js';
import { withApp } from '../context.js';
import { wholeNumberOption } from '../options.js';
import { failureOf, printJson, table, type Output } from '../output.js';

function restrictionCell(c: CountrySummary): string {
  if (c.restrictionsInForce.length === 0) return '-';
  return c.restrictionsInForce.map((r) => `${r.kind} (${r.programs.join(',')})`).join('; ');
}

export function registerCountryCommands(program: Command, output: Output): void {
  const country = program
    .command('country')
    .description('countries, allocations and restrictions in force');

  country
    .command('list')
    .description(
      'every country with its latest IMET allocation and the restrictions in force today',
    )
    .option('--json', 'print the API object')
    .option('--limit <n>', 'print at most n rows', wholeNumberOption('--limit'))
    .action(async (opts: { json?: boolean; limit?: number }) => {
      const items = await withApp((ctx) => listCountries(ctx));
      const shown = opts.limit === undefined ? items : items.slice(0, opts.limit);
      if (opts.json === true) return printJson(output, { items: shown, total: items.length });
      output.out(
        table([
          ['ISO3', 'COUNTRY', 'LATEST IMET', 'RESTRICTED TODAY'],
          ...shown.map((c) => [
            c.iso3,
            c.name,
            c.latestImet === null ? '-' : `FY${c.latestImet.fy} ${formatUsd(c.latestImet.cents)}`,
            restrictionCell(c),
          ]),
        ]),
      );
    });

  country
    .command('show')
    .description('one country: flags, IMET allocation by fiscal year, restrictions in force today')
    .argument('<iso3>', 'ISO 3166-1 alpha-3 code, e.g. PAK')
    .option('--json', 'print the API object')
    .action(async (iso3: string, opts: { json?: boolean }) => {
      const result = await withApp((ctx) => getCountry(ctx, iso3));
      if (!result.ok) throw failureOf(result.error);
      const c = result.value;
      if (opts.json === true) return printJson(output, c);
      const flags = Object.entries(c.flags)
        .filter(([, on]) => on)
        .map(([flag]) => flag);
      output.out(`${c.name} (${c.iso3})`);
      output.out(`flags: ${flags.length === 0 ? 'none' : flags.join(', ')}`);
      output.out(`restrictions in force on ${c.asOf}:`);
      if (c.restrictionsInForce.length === 0) output.out('  none');
      for (const r of c.restrictionsInForce) {
        output.out(
          `  ${r.id} ${r.kind} on ${r.scope.join(',')} from ${shownDate(r.from, r.dateQuality)}${r.until === null ? '' : ` until ${shownDate(r.until, r.untilQuality)}`} — ${r.basis}`,
        );
        for (const relief of r.reliefs) {
          output.out(
            `    relieved for ${relief.programs.join(',')} by ${relief.type} ${relief.id} from ${shownDate(relief.from, relief.dateQuality)}${relief.scopeStated ? '' : ' (its source does not say which programs it covers: not relied on)'}`,
          );
        }
      }
      output.out('IMET allocations:');
      if (c.imetAllocations.length === 0) output.out('  none');
      output.out(table(c.imetAllocations.map((a) => [`  FY${a.fy}`, formatUsd(a.cents)])));
      if (c.imetBudgetFigures.length > 0) {
        output.out('IMET in the budget tables (only an enacted figure is an allocation in force):');
        output.out(
          table(c.imetBudgetFigures.map((f) => [`  FY${f.fy}`, formatUsd(f.cents), f.stage])),
        );
      }
    });
}
