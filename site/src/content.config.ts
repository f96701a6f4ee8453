import { defineCollection } from 'astro:content';
import { file } from 'astro/loaders';
import { z } from 'astro/zod';

// The framework lives in ../content so the worker imports the very same files.
const named = z.object({ id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/), name: z.string().min(1) });
const described = named.extend({ description: z.string().min(1) });

export const collections = {
  domains: defineCollection({ loader: file('../content/domains.json'), schema: described }),
  competencies: defineCollection({
    loader: file('../content/competencies.json'),
    schema: described.extend({ domain: z.string(), progression: z.array(z.string().min(1)).length(5) }),
  }),
  strategies: defineCollection({
    loader: file('../content/strategies.json'),
    schema: described.extend({ delivery: z.enum(['internal', 'external']) }),
  }),
  careerStages: defineCollection({ loader: file('../content/career-stages.json'), schema: described }),
  leadershipRoles: defineCollection({ loader: file('../content/leadership-roles.json'), schema: described }),
  jobRoles: defineCollection({ loader: file('../content/job-roles.json'), schema: named }),
  hexagonIndicators: defineCollection({
    loader: file('../content/hexagon-indicators.json'),
    schema: named.extend({ area: z.enum(['program', 'implementing-site']), question: z.string() }),
  }),
};
