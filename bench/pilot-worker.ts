/**
 * The pilot-group planner timed inside workerd, the Worker runtime (a measurement, not a CI test). Serve it
 * with `npx wrangler dev -c bench/pilot-worker.toml --port 8796` and ask
 * `curl 'http://127.0.0.1:8796/?candidates=5000&focuses=5'`: it builds the same seeded district as
 * bench/pilot.ts, solves once to warm up, then times 5 solves with the route's default sizes. Under
 * `wrangler dev` the clock runs during computation (on Cloudflare it stands still between I/O, so this
 * cannot be measured there), in whole milliseconds.
 */
import { competencies } from '../worker/src/domain/framework';
import { planPilotGroups } from '../worker/src/domain/pilot-groups';
import { district } from './pilot-district';

const SEED = 20_261_123;

export default {
  fetch(request: Request): Response {
    const url = new URL(request.url);
    const candidates = Number(url.searchParams.get('candidates') ?? 5_000);
    const focusCount = Number(url.searchParams.get('focuses') ?? 5);
    if (!(candidates >= 1 && candidates <= 20_000 && focusCount >= 1 && focusCount <= 8)) {
      return Response.json({ error: 'candidates 1–20,000 and focuses 1–8' }, { status: 400 });
    }
    const focuses = competencies.slice(0, focusCount).map((competency) => competency.id);
    const people = district(
      candidates,
      competencies.slice(0, 8).map((competency) => competency.id),
      SEED + candidates,
    );
    const options = { focuses, minSize: 6, maxSize: 10, maxPerSchool: 3 };
    const times: number[] = [];
    let objective = 0;
    for (let i = 0; i < 6; i++) {
      const start = performance.now();
      objective = planPilotGroups(people, options).objective;
      times.push(performance.now() - start);
    }
    const timed = times.slice(1).sort((a, b) => a - b);
    return Response.json({
      candidates,
      focuses: focusCount,
      objective,
      warmUpMs: times[0],
      timedMs: timed,
      medianMs: timed[2],
    });
  },
};
