import { Hono } from 'hono';
import type { z } from 'zod';
import { allow } from '../auth/access';
import type { AppEnv } from '../auth/session';
import { listSchools } from '../db/roster';
import { domains, hexagonIndicators, idLists } from '../domain/framework';
import { documented } from '../openapi';
import { framework as frameworkSchema } from '../schemas/framework';

/** The competency framework and every id list the answer contract uses, for integrations. */
export const framework = new Hono<AppEnv>().get(
  '/',
  allow('public'),
  documented({
    summary: "The competency framework and the district's lists",
    description:
      "Domains, competencies, strategies, roles, career stages, subjects, grade bands, the Hexagon tool's indicators and schools: every id an answer may use.",
    tags: ['framework'],
    responses: { 200: { schema: frameworkSchema } },
  }),
  async (c) => {
    // The schools of the district now: a retired one is not offered as an answer.
    const schools = await listSchools(c.env.DB, { current: true });
    return c.json({ domains, ...idLists, hexagonIndicators, schools } satisfies z.input<typeof frameworkSchema>);
  },
);
