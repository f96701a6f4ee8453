/**
 * Rate limits through Cloudflare's rate-limiting binding; `wrangler dev` and the tests run
 * the same binding locally (miniflare simulates it). A refused call answers 429 with
 * Retry-After: the binding counts in fixed windows of `period` seconds, so waiting one
 * window is always enough.
 */
import { ApiError } from '../errors';

export async function limitOrRefuse(limiter: RateLimit, key: string, periodSeconds: number): Promise<void> {
  const { success } = await limiter.limit({ key });
  if (!success) {
    throw new ApiError(
      429,
      'RATE_LIMITED',
      `Too many requests; please wait ${periodSeconds} seconds and try again.`,
      undefined,
      {
        retryAfterSeconds: periodSeconds,
      },
    );
  }
}

/** The caller's address as Cloudflare reports it: a rate-limit key, never stored. */
export function clientAddress(request: Request): string {
  return request.headers.get('CF-Connecting-IP') ?? 'unknown';
}
