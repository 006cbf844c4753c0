// Country routes: the list with latest IMET and restrictions in force, and one country in detail.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROGRAMS } from '../core/programs.js';
import { DATE_QUALITIES, RELIEF_TYPES, RESTRICTION_KINDS } from '../core/restrictions.js';
import { getCountry, listCountries } from '../services/countries/country.service.js';
import type { AppContext } from '../services/context.js';
import { problems } from './contract.js';
import { cents, isoDate } from './fields.js';
import { constrainedText } from './http.js';
import { SCOPE_TERMS } from './record.schemas.js';
import { sendResult } from './reply.js';

const Money = z.object({
  fy: z.number().int().meta({ description: 'US federal fiscal year' }),
  cents: cents('the IMET allocation in force, in whole US cents'),
  currency: z.literal('USD'),
});
const BudgetFigure = z.object({
  fy: z.number().int().meta({ description: 'US federal fiscal year' }),
  cents: cents('the IMET figure the budget table states, in whole US cents'),
  currency: z.literal('USD'),
  stage: z.enum(['request', 'estimate', 'enacted', 'unstated']).meta({
    description:
      "the table's budget stage: only an enacted table's figure is also an allocation in force",
  }),
});
const Flags = z.object({
  natoMember: z.boolean(),
  fmtReportExcluded: z
    .boolean()
    .meta({ description: 'left out of the annual Foreign Military Training report' }),
  grantImetExcluded: z
    .boolean()
    .meta({ description: 'no grant IMET (22 USC 2347e high-income countries)' }),
});
const FlagSources = z
  .object({ natoMember: z.string(), fmtReportExcluded: z.string(), grantImetExcluded: z.string() })
  .meta({ description: 'the legal source of each flag' });
const RestrictionInForce = z.object({
  id: z.string(),
  country: z.string(),
  kind: constrainedText(RESTRICTION_KINDS),
  scope: z
    .array(constrainedText(SCOPE_TERMS))
    .readonly()
    .meta({ description: 'as recorded: program codes and group names' }),
  programs: z
    .array(constrainedText(PROGRAMS))
    .readonly()
    .meta({ description: 'the scope expanded to programs' }),
  basis: z.string(),
  authority: z.string(),
  from: isoDate(),
  until: isoDate().nullable(),
  dateQuality: constrainedText(DATE_QUALITIES).nullable().meta({
    description: 'how precisely `from` is known (month, year, approx); null: as recorded',
  }),
  untilQuality: constrainedText(DATE_QUALITIES)
    .nullable()
    .meta({ description: 'how precisely `until` is known' }),
  source: z.string().nullable(),
  reliefs: z
    .array(
      z.object({
        id: z.string(),
        type: constrainedText(RELIEF_TYPES),
        programs: z.array(constrainedText(PROGRAMS)).readonly(),
        from: isoDate(),
        until: isoDate().nullable(),
        dateQuality: constrainedText(DATE_QUALITIES).nullable(),
        untilQuality: constrainedText(DATE_QUALITIES).nullable(),
        scopeStated: z.boolean().meta({
          description: 'false: its source does not say which programs it covers (never relied on)',
        }),
      }),
    )
    .readonly()
    .meta({ description: 'the reliefs of it in force on the same day' }),
});
const CountrySummary = z.object({
  iso3: z.string().meta({ example: 'PAK' }),
  iso2: z.string().meta({ example: 'PK' }),
  name: z.string().meta({ example: 'Pakistan' }),
  flags: Flags,
  latestImet: Money.nullable().meta({ description: 'null when no IMET allocation is in force' }),
  restrictionsInForce: z.array(RestrictionInForce).readonly(),
});
const CountryDetail = CountrySummary.extend({
  flagSources: FlagSources,
  asOf: isoDate('the date "in force" was judged on (today, UTC)'),
  imetAllocations: z
    .array(Money)
    .readonly()
    .meta({ description: 'the IMET amount in force for each fiscal year, oldest first' }),
  imetBudgetFigures: z.array(BudgetFigure).readonly().meta({
    description:
      'the IMET figures of the imported budget tables, each with its stage, oldest FY first (a request, estimate or unstated figure is no allocation in force)',
  }),
});

const Iso3 = z.object({
  iso3: z.string().meta({
    description: 'ISO 3166-1 alpha-3 code, in any case (answers 404 for an unknown one)',
    example: 'PAK',
  }),
});

export function countryRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/countries',
      {
        schema: {
          tags: ['countries'],
          operationId: 'listCountries',
          summary: 'Every country, its latest IMET and restrictions in force today',
          description:
            'Every ISO 3166-1 country with its flags, its latest IMET allocation in force and the restrictions in force today (UTC), each with the reliefs in force. Who: anyone signed in; every country is listed whatever the caller’s scope.',
          response: { 200: z.object({ items: z.array(CountrySummary), total: z.number().int() }) },
        },
      },
      async () => {
        const items = await listCountries(ctx);
        return { items, total: items.length };
      },
    );
    app.get(
      '/countries/:iso3',
      {
        schema: {
          tags: ['countries'],
          operationId: 'getCountry',
          summary: 'One country in detail',
          description:
            'One country: its flags with their legal sources, the IMET allocation in force for each fiscal year, and the restrictions in force today (UTC). Who: anyone signed in. Refusals: 404 COUNTRY.NOT_FOUND (also for a code that is not three letters).',
          params: Iso3,
          response: { 200: CountryDetail, ...problems(404) },
        },
      },
      async (request, reply) => sendResult(reply, await getCountry(ctx, request.params.iso3)),
    );
  };
}
