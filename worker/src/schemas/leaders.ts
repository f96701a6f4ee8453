/** What the leaders route answers, as the OpenAPI document states it. */
import { z } from 'zod';
import { MIN_GROUP_SIZE_FLOOR } from '../domain/campaign';
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
        z.object({
          staffId: z.string(),
          name: z.string(),
          /** Distinct colleagues who named them; null when fewer than k (at least MIN_NOMINATIONS still). */
          nominations: z.number().int().min(MIN_NOMINATIONS).nullable(),
        }),
      ),
    }),
  ),
  pipeline: z.object({
    careerStages: z.array(named),
    leadershipRoles: z.array(named),
    /** Every school on the roster (null: staff with no school), shown or not. */
    schools: z.array(z.object({ schoolId: z.string().nullable(), school: z.string().nullable() })),
    /**
     * School × career stage × role cells with at least k people interested besides the named
     * aspiring leaders (domain/leaders.ts publishedPipeline); a cell not listed is hidden or
     * empty, which look the same.
     */
    rows: z.array(
      z.object({
        schoolId: z.string().nullable(),
        careerStage: z.string().nullable(),
        leadershipRole: z.string(),
        n: z.number().int().min(MIN_GROUP_SIZE_FLOOR),
        school: z.string().nullable(),
      }),
    ),
    /** The same cells for every school together, under the same rule. */
    district: z.array(
      z.object({
        careerStage: z.string().nullable(),
        leadershipRole: z.string(),
        n: z.number().int().min(MIN_GROUP_SIZE_FLOOR),
      }),
    ),
  }),
});
