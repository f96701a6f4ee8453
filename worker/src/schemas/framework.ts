/** What the framework route answers, as the OpenAPI document states it. */
import { z } from 'zod';

const named = z.object({ id: z.string(), name: z.string(), description: z.string().optional() });
const described = named.extend({ description: z.string() });

export const framework = z.object({
  domains: z.array(described),
  competencies: z.array(
    described.extend({
      domain: z.string(),
      /** Five levels, from beginning (1) to leading others (5). */
      progression: z.array(z.string()),
    }),
  ),
  strategies: z.array(named.extend({ delivery: z.enum(['internal', 'external']) })),
  jobRoles: z.array(named),
  careerStages: z.array(named),
  leadershipRoles: z.array(named),
  subjects: z.array(named),
  gradeBands: z.array(named),
  hexagonIndicators: z.array(named.extend({ area: z.enum(['program', 'implementing-site']), question: z.string() })),
  schools: z.array(z.object({ id: z.string(), name: z.string() })),
});
