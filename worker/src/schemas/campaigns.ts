/** What the campaign routes answer, as the OpenAPI document states it. */
import { z } from 'zod';

export const campaign = z
  .object({
    id: z.string(),
    surveyId: z.string(),
    title: z.string(),
    mode: z.enum(['anonymous', 'identified']),
    minGroupSize: z.number().int(),
    closesAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    createdAt: z.string(),
    responseCount: z.number().int(),
    status: z.enum(['open', 'closed']),
  })
  .meta({ id: 'Campaign' });

export const createdCampaign = z.object({ id: z.string(), surveyUrl: z.string() });

export const campaignPage = z.object({ items: z.array(campaign), nextCursor: z.string().optional() });

export const campaignWithLink = campaign.extend({ surveyUrl: z.string() });

export const personalLinks = z.object({
  items: z.array(
    z.object({
      staffId: z.string(),
      name: z.string(),
      email: z.string().nullable(),
      school: z.string().nullable(),
      // new-link: a link was made now; Homegrown sends nothing, the admin hands it over (a mail merge).
      status: z.enum(['answered', 'new-link']),
      link: z.string().nullable(),
    }),
  ),
  created: z.number().int(),
  answered: z.number().int(),
});
