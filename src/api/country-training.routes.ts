// A country's training years: the fiscal years it has training lines in, for the country page.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getTrainingYears } from '../services/countries/training-years.service.js';
import type { AppContext } from '../services/context.js';
import { problems } from './contract.js';
import { actorOf } from './http.js';
import { sendResult } from './reply.js';

const TrainingYears = z
  .object({
    country: z.string().meta({ description: 'ISO 3166-1 alpha-3', example: 'PAK' }),
    fiscalYears: z
      .array(
        z.object({
          fiscalYear: z.number().int().meta({ description: 'US federal fiscal year' }),
          lines: z.number().int().meta({ description: 'training lines programmed for the year' }),
          seats: z.number().int().meta({ description: 'their seats, whatever their status' }),
        }),
      )
      .readonly()
      .meta({ description: 'newest first; a year without a line is absent' }),
  })
  .meta({
    example: { country: 'PAK', fiscalYears: [{ fiscalYear: 2018, lines: 3, seats: 9 }] },
  });

export function countryTrainingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/countries/:iso3/training-years',
      {
        schema: {
          tags: ['countries'],
          operationId: 'getCountryTrainingYears',
          summary: 'The fiscal years a country has training lines in',
          description:
            "The fiscal years in which a country has a training list, newest first, with the number of lines and seats of each: where a country's seats can be looked at (GET /seats?country=&fy=). Who: anyone signed in who sees the country (an SCO: their countries; an IMSO: none). Refusals: 404 COUNTRY.NOT_FOUND (also for a country outside the caller's scope).",
          params: z.object({
            iso3: z
              .string()
              .meta({ description: 'ISO 3166-1 alpha-3 code, in any case', example: 'PAK' }),
          }),
          response: { 200: TrainingYears, ...problems(404) },
        },
      },
      async (request, reply) =>
        sendResult(reply, await getTrainingYears(ctx, actorOf(request), request.params.iso3)),
    );
  };
}
