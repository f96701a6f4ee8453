/** A campaign as the API answers it, read off the worker's routes by the typed client. */
import type { InferResponseType } from 'hono/client';
import type { api } from './api';

/** A campaign as the list of campaigns has it, and as closing one answers. */
export type Campaign = InferResponseType<typeof api.campaigns.$get, 200>['items'][number];

/** A campaign read on its own: with its public survey link. */
export type CampaignDetail = InferResponseType<(typeof api.campaigns)[':id']['$get'], 200>;
