import { hc } from 'hono/client';
import type { AppType } from '../../../worker/src/index';

/** The typed API client: routes and bodies come from the worker's own types. */
export const api = hc<AppType>('/api');
