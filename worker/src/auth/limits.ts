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

/** The vars that say where the Worker runs (see `clientAddress`). */
export interface AddressConfig {
  /** `on` under `wrangler dev` only (`npm start`, the tests, the benchmarks): see auth/mailer.ts. */
  DEV_OUTBOX?: string;
  /**
   * `on` where a local simulation plays many callers on purpose: the benchmarks (passed by
   * bench/dev-server.ts) and the worker tests (vitest.config.ts). No deployment sets it.
   */
  SIMULATED_CALLERS?: string;
}

/** The one caller everyone is, where no address can be trusted. */
export const LOCAL_CALLER = 'local';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The caller as a rate-limit key (never stored): the address Cloudflare reports.
 *
 * On Cloudflare's network, CF-Connecting-IP is written by Cloudflare's edge for every
 * request that reaches the Worker, replacing any a client sent, so it is the caller's
 * address. Under `wrangler dev` (and miniflare), a CF-Connecting-IP the client sends is kept
 * as it is (miniflare fills it in from the socket only when it is missing), so any caller
 * can name a new address on each request and never reach a limit. Nothing in a request tells
 * the two apart there: miniflare gives every request a `request.cf` too (from a cached
 * `cf.json`, or a placeholder), and a client sets Host, X-Forwarded-Proto and
 * CF-Connecting-IP as it likes. So the Worker goes by what it was started with: where it
 * runs under `wrangler dev` (DEV_OUTBOX on, as `npm start` passes it) or is asked for by a
 * loopback name, every caller is one caller, LOCAL_CALLER.
 *
 * SIMULATED_CALLERS=on takes the client's CF-Connecting-IP there anyway, for the benchmarks
 * and tests that play a district's many devices. It is safe whatever a deployment sets: it
 * can only choose CF-Connecting-IP, which on Cloudflare's network is Cloudflare's own value,
 * exactly what a deployed Worker uses without it. Likewise DEV_OUTBOX or a loopback name
 * can only make the limits stricter (everyone shares one key), never let a caller pick its
 * own; and a deployed Worker has neither (only `npm start` passes DEV_OUTBOX, and Cloudflare
 * routes no request to a Worker under a loopback host name).
 */
export function clientAddress(request: Request, env: object): string {
  const config = env as AddressConfig;
  const header = request.headers.get('CF-Connecting-IP');
  const local = config.DEV_OUTBOX === 'on' || LOOPBACK.has(new URL(request.url).hostname);
  if (local && config.SIMULATED_CALLERS !== 'on') return LOCAL_CALLER;
  return header ?? 'unknown';
}
