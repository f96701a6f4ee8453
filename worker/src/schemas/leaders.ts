/** What the leaders route answers, as the OpenAPI document states it. */
import { z } from 'zod';
import { MIN_NOMINATIONS } from '../domain/leaders';

const named = z.object({ id: z.string(), name: z.string() });

export const leadersView = z.object({
  campaignId: z.string(),
  minGroupSize: z.number().int(),
  aspiringLeaders: z.array(
    z.object({
      staffId: z.string(),
      name: z.string(),
      schoolId: z.string().nullable(),
      school: z.string().nullable(),
      careerStage: z.string().nullable(),
      careerStageName: z.string().nullable(),
      roles: z.array(named),
    }),
  ),
  /** Per school on the roster (null: staff with no school), its influencers. */
  influencers: z.array(
    z.object({
      schoolId: z.string().nullable(),
      school: z.string().nullable(),
      staff: z.array(
        z.object({ staffId: z.string(), name: z.string(), nominations: z.number().int().min(MIN_NOMINATIONS) }),
      ),
    }),
  ),
  pipeline: z.object({
    careerStages: z.array(named),
    leadershipRoles: z.array(named),
    rows: z.array(
      z.object({
        schoolId: z.string().nullable(),
        careerStage: z.string().nullable(),
        leadershipRole: z.string(),
        n: z.number().int().min(1),
        school: z.string().nullable(),
      }),
    ),
  }),
});
