// Country routes: the list with latest IMET and restrictions in force, and one country in detail.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getCountry, listCountries } from '../services/countries/country.service.js';
import type { AppContext } from '../services/context.js';
import { sendResult } from './reply.js';

const Money = z.object({
  fy: z.number().int(),
  cents: z.number().int(),
  currency: z.literal('USD'),
});
const Flags = z.object({
  natoMember: z.boolean(),
  fmtReportExcluded: z.boolean(),
  grantImetExcluded: z.boolean(),
});
const RestrictionInForce = z.object({
  id: z.string(),
  country: z.string(),
  kind: z.string(),
  scope: z.array(z.string()).readonly(),
  programs: z.array(z.string()).readonly(),
  basis: z.string(),
  authority: z.string(),
  from: z.string(),
  until: z.string().nullable(),
  source: z.string().nullable(),
  reliefs: z
    .array(
      z.object({
        id: z.string(),
        type: z.string(),
        programs: z.array(z.string()).readonly(),
        from: z.string(),
        until: z.string().nullable(),
      }),
    )
    .readonly(),
});
const CountrySummary = z.object({
  iso3: z.string().meta({ example: 'PAK' }),
  iso2: z.string(),
  name: z.string().meta({ example: 'Pakistan' }),
  flags: Flags,
  latestImet: Money.nullable(),
  restrictionsInForce: z.array(RestrictionInForce).readonly(),
});
const CountryDetail = CountrySummary.extend({
  flagSources: z.record(z.string(), z.string()),
  asOf: z.string().meta({ description: 'the date "in force" was judged on (today, UTC)' }),
  imetAllocations: z.array(Money).readonly(),
});

export function countryRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/countries',
      {
        schema: {
          tags: ['countries'],
          summary:
            'Every ISO 3166-1 country with its latest IMET allocation and restrictions in force today',
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
          summary:
            'One country: flags with their legal sources, IMET allocation by FY, restrictions in force today',
          params: z.object({
            iso3: z.string().meta({ description: 'ISO 3166-1 alpha-3 code', example: 'PAK' }),
          }),
          response: { 200: CountryDetail },
        },
      },
      async (request, reply) => sendResult(reply, await getCountry(ctx, request.params.iso3)),
    );
  };
}
