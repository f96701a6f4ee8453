/**
 * The benchmark (a measurement, not a CI test): `npx tsx bench/run.ts` from the project root.
 * See bench/README.md for what it measures and why.
 *
 * In one run it
 * 1. copies what the Worker is built from (worker/, content/, surveys/, dist/, wrangler.toml)
 *    into a fresh temporary folder, so edits made meanwhile cannot reload the server; applies
 *    the D1 migrations there and, through getPlatformProxy, loads the demo district's roster
 *    and three campaigns with 1,000 / 10,000 / 100,000 responses (the demo's answers reused
 *    cyclically under new ids, one big json_each insert per chunk of responses; then one
 *    publication step over them, which derives their rating rows as the app does, and
 *    NODE_STEPS timed steps of k identical responses each), creates the open, empty campaign
 *    for the submission test, and takes a few diagnostics (the time of a submission's store,
 *    of counting responses; the disclosure audit's reads, the profile_aggregates totals
 *    against the published ones, and disclosurePlan alone, in Node);
 * 2. serves that copy with `wrangler dev` on 127.0.0.1:8797;
 * 3. times the first focus read of each campaign (no plan cached), then
 *    `GET /api/campaigns/:id/focuses` (plain and `?by=school`) one request at a time, the
 *    three campaigns interleaved (cached plan), then cold reads: k submissions, then the read
 *    that publishes them as a step and works the new snapshot's plan out, and cached ones;
 * 4. runs closed loops (fixed concurrency, fixed duration, in alternating slices) against the
 *    no-op `GET /api/health` and `POST /api/campaigns/bench-submit/responses`, then checks
 *    that the stored rows equal the 2xx answers, then shorter loops of the same POST refused
 *    at successive points (where a submission's time goes);
 * 5. prints the results as Markdown and writes them to bench/results.md.
 * wrangler is always stopped and the folder removed, on errors and on Ctrl+C too. Every
 * request loop is bounded both in count and in time, and only 127.0.0.1 is contacted.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import highsLoader, { type Highs } from 'highs';
import { getPlatformProxy } from 'wrangler';
import { generateDemoDistrict } from '../scripts/demo/district';
import { hashToken, newToken } from '../worker/src/auth/tokens';
import { insertAccountStatements, insertSessionStatement } from '../worker/src/db/accounts';
import { insertCampaign } from '../worker/src/db/campaigns';
import { storeResponse } from '../worker/src/db/responses';
import { upsertSchools, upsertStaff } from '../worker/src/db/roster';
import { type Answers, validateAnswers } from '../worker/src/domain/answers';
import { type AuditReport, disclosurePlan } from '../worker/src/domain/disclosure';
import { fingerprint } from '../worker/src/domain/fingerprint';
import type { SegmentDimension } from '../worker/src/domain/focuses';
import { shapeOf } from '../worker/src/domain/surveys';
import * as dev from './dev-server';

/**
 * worker/src/domain/lp.ts imports HiGHS's .wasm as a Worker does (wrangler hands it over as
 * a compiled WebAssembly.Module); Node would load that file as a WebAssembly ES module
 * instead, which fails. So, in this process only, that one file loads as a module whose
 * default export is the compiled module, as in workerd. Everything that imports lp.ts
 * (db/aggregates.ts, db/disclosure.ts) is therefore imported dynamically, after this.
 */
registerHooks({
  load(url, context, nextLoad) {
    if (!url.endsWith('/node_modules/highs/build/highs.wasm')) return nextLoad(url, context);
    return {
      format: 'module',
      shortCircuit: true,
      source:
        "import { readFileSync } from 'node:fs';\n" +
        `export default new WebAssembly.Module(readFileSync(new URL(${JSON.stringify(url)})));\n`,
    };
  },
});
type AggregatesModule = typeof import('../worker/src/db/aggregates');
type DisclosureDbModule = typeof import('../worker/src/db/disclosure');
let publishPending: AggregatesModule['publishPending'];
let readDisclosurePlan: DisclosureDbModule['readDisclosurePlan'];
let forgetDisclosurePlans: DisclosureDbModule['forgetDisclosurePlans'];
let readAuditInputs: DisclosureDbModule['readAuditInputs'];
let readTruth: DisclosureDbModule['readTruth'];

async function importWorkerModules(): Promise<void> {
  ({ publishPending } = await import('../worker/src/db/aggregates'));
  ({ readDisclosurePlan, forgetDisclosurePlans, readAuditInputs, readTruth } = await import(
    '../worker/src/db/disclosure'
  ));
}

const PORT = 8797;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const SURVEY_ID = 'needs-assessment';

/** The read campaigns hold the demo's answers with every field an identified campaign asks (like the fall campaign). */
const READ_MODE = 'identified' as const;
/**
 * The submission campaign is anonymous: the public-link path. Identified answers need a
 * single-use personal link per staff member, so a loop of thousands cannot send them.
 */
const SUBMIT_MODE = 'anonymous' as const;
const SUBMIT_CAMPAIGN = 'bench-submit';
/** Takes the submission cost probe's rows (through getPlatformProxy, before the server starts). */
const PROBE_CAMPAIGN = 'bench-probe';
const PROBE_SUBMISSIONS = 200;
const READ_CAMPAIGNS = [
  { id: 'bench-1k', responses: 1_000 },
  { id: 'bench-10k', responses: 10_000 },
  { id: 'bench-100k', responses: 100_000 },
] as const;

/** The read campaigns' minimum group size (minGroupSize): a publication step needs k new people in a cell. */
const K = 5;
/**
 * Publication steps made in Node through getPlatformProxy per read campaign, before the
 * server starts, each of K identical responses (stored with storeResponse, part of the
 * campaign's count): they time `publishPending` for a small step at each size.
 */
const NODE_STEPS = 3;
/** Timed `disclosurePlan` solves per campaign in Node (after 1 warm-up solve). */
const PLAN_SOLVES = 5;
/** Uncached calls of the app's readDisclosurePlan per campaign in Node (cache forgotten before each). */
const APP_PLAN_READS = 3;
/**
 * Cold reads over HTTP per read campaign: each after K identical new submissions, so the
 * read publishes a step and the isolate's cached plan no longer applies.
 */
const COLD_SAMPLES = 5;
/** Cached reads right after each cold one (same snapshot, so the cached plan). */
const CACHED_AFTER_COLD = 3;

/** Responses per bulk-insert statement (each carries ~15 ratings, so ~7,500 rating rows). */
const LOAD_CHUNK = 500;
const READ_WARM_UP = 10;
const READ_TIMED = 100;
const CONCURRENCY = 8;
const LOOP_DURATION_MS = 10_000;
/** Each loop's time is cut into this many slices, taken in turns with the other loop (ABBA…). */
const LOOP_SLICES = 4;
/** A hard cap per loop, far above what 10 s can reach on a laptop. */
const LOOP_MAX_REQUESTS = 200_000;
/** Sequential requests before each loop (submissions: these are also the warm-up; p50 of the last half). */
const SEQUENTIAL = 20;
const REQUEST_TIMEOUT_MS = 15_000;
/** Each stage of the submission breakdown runs this long, in 2 slices (stages in order, then reversed). */
const STAGE_DURATION_MS = 3_000;

// ---------------------------------------------------------------------------------------
// Lifecycle: bench/dev-server.ts stops the server and removes the temporary folder; this
// benchmark also lets go of getPlatformProxy's database first.

let proxy: { dispose(): Promise<void> } | undefined;

async function disposeProxy(): Promise<void> {
  // On Ctrl+C the terminal signals our whole process group, getPlatformProxy's workerd
  // included, and dispose() may then never settle: give it a few seconds (a timer that
  // keeps Node alive), then carry on.
  if (proxy) await Promise.race([proxy.dispose().catch(() => {}), sleep(5_000)]);
  proxy = undefined;
}

// ---------------------------------------------------------------------------------------
// 1. Data

interface PoolEntry {
  answers: Answers;
  hash: string;
  staffId: string | null;
}

const segmentColumns = `json_extract(e.value, '$.answers.school'), json_extract(e.value, '$.answers.role'),
  json_extract(e.value, '$.answers.careerStage'), json_extract(e.value, '$.answers.subject'),
  json_extract(e.value, '$.answers.gradeBand')`;

/** ?1 is a JSON array of { id, key, hash, staffId, at, answers }; ?2 the campaign id. */
/** The store trigger (migration 0015) counts each response; its first publication step derives their rating rows. */
const BULK_INSERTS = [
  `INSERT INTO responses (id, campaign_id, idempotency_key, body_hash, staff_id,
     school, role, career_stage, subject, grade_band, answers, submitted_at)
   SELECT json_extract(e.value, '$.id'), ?2, json_extract(e.value, '$.key'), json_extract(e.value, '$.hash'),
     json_extract(e.value, '$.staffId'), ${segmentColumns}, json_extract(e.value, '$.answers'),
     json_extract(e.value, '$.at')
   FROM json_each(?1) AS e`,
];

/** The dashboard's reads are for directors: the benchmark reads as one, signed in for the run. */
const DIRECTOR_TOKEN = newToken();
const DIRECTOR_COOKIE = `__Host-homegrown_session=${DIRECTOR_TOKEN}`;

async function signInDirector(db: D1Database): Promise<void> {
  const accountId = randomUUID();
  const now = new Date();
  await db.batch([
    ...insertAccountStatements(db, {
      id: accountId,
      email: 'bench-director@district.example',
      name: 'Benchmark',
      roles: ['director'],
      createdAt: now.toISOString(),
    }),
    insertSessionStatement(db, {
      tokenHash: await hashToken(DIRECTOR_TOKEN),
      accountId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
    }),
  ]);
}

async function bulkLoad(db: D1Database, campaignId: string, count: number, pool: PoolEntry[]): Promise<void> {
  const statements = BULK_INSERTS.map((sql) => db.prepare(sql));
  const base = Date.parse('2026-09-08T15:00:00Z');
  for (let start = 0; start < count; start += LOAD_CHUNK) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + LOAD_CHUNK); i++) {
      const source = pool[i % pool.length] as PoolEntry;
      rows.push({
        id: randomUUID(),
        key: randomUUID(),
        hash: source.hash,
        // A staff member answers a campaign once: only the first pass through the pool is identified.
        staffId: i < pool.length ? source.staffId : null,
        at: new Date(base + i * 1000).toISOString(),
        answers: source.answers,
      });
    }
    const json = JSON.stringify(rows);
    await db.batch(statements.map((statement) => statement.bind(json, campaignId)));
  }
}

/** The answers a respondent's page would send in a campaign of this mode. */
function forMode(answers: Answers, mode: 'anonymous' | 'identified'): Answers {
  if (mode === 'identified') return answers;
  const { peerNominations: _p, pilotWilling: _w, contactConsent: _c, ...rest } = answers;
  return rest;
}

interface SqlTime {
  campaign: string;
  campaignRow: number;
  aggregateRow: number;
}

interface Probe {
  submissions: number;
  /** Mean wall time of one storeResponse call through getPlatformProxy (the round trip to the local D1 included). */
  storeMs: number;
  /** Mean time of validateAnswers + fingerprint for one answer, in this Node (the same V8 as workerd). */
  jsMs: number;
}

/**
 * Where a submission's time goes, outside the server: the app's own store function over a
 * D1 wrapper that records each batch statement's meta.duration (the insert's includes its
 * trigger, which counts the response), and the answer checks the route runs,
 * timed in Node. Uses
 * its own campaign, so nothing measured later changes.
 */
async function probeSubmissionCost(
  db: D1Database,
  responses: Array<{ answers: Answers; staffId: string }>,
  shape: NonNullable<ReturnType<typeof shapeOf>>,
): Promise<Probe> {
  let storeTotal = 0;
  let jsTotal = 0;
  for (const response of responses) {
    const begin = performance.now();
    const validation = validateAnswers(response.answers, shape, READ_MODE);
    const bodyHash = await fingerprint(response.answers);
    jsTotal += performance.now() - begin;
    if (!validation.ok) throw new Error('demo answers are invalid');
    const id = randomUUID();
    const now = new Date().toISOString();
    const stored = performance.now();
    const outcome = await storeResponse(
      db,
      {
        id,
        campaignId: PROBE_CAMPAIGN,
        idempotencyKey: randomUUID(),
        bodyHash,
        staffId: response.staffId,
        answers: validation.answers,
        submittedAt: now,
      },
      now,
    );
    storeTotal += performance.now() - stored;
    if (!outcome.stored) throw new Error(`probe response not stored: ${JSON.stringify(outcome)}`);
  }
  return {
    submissions: responses.length,
    storeMs: storeTotal / responses.length,
    jsMs: jsTotal / responses.length,
  };
}

interface Loaded {
  probe: Probe;
  audits: NodeAudit[];
  /** highsLoader() in Node: instantiating the solver (once). */
  solverMs: number;
  submitBodies: string[];
  timings: Array<[string, number]>;
  total: number;
  sqlTimes: SqlTime[];
}

/** A campaign's response count by counting its responses (what getCampaign did before commit 6366ede)… */
const CAMPAIGN_SQL = 'SELECT COUNT(*) AS n FROM responses WHERE campaign_id = ?';
/** …and from the count the store trigger keeps on the campaign. */
const AGGREGATE_COUNT_SQL = 'SELECT responses_received AS n FROM campaigns WHERE id = ?';
const SQL_SAMPLES = 21;

/**
 * Mean time SQLite spent on a statement as D1 reports it (meta.duration, whole milliseconds
 * locally, hence a mean), without any transport.
 */
async function sqlMean(db: D1Database, sql: string, id: string): Promise<number> {
  let total = 0;
  for (let i = 0; i < SQL_SAMPLES; i++) total += (await db.prepare(sql).bind(id).all()).meta.duration;
  return total / SQL_SAMPLES;
}

async function loadData(app: string, state: string): Promise<Loaded> {
  const timings: Array<[string, number]> = [];
  const begin = performance.now();
  let mark = begin;
  const lap = (label: string) => {
    const now = performance.now();
    timings.push([label, now - mark]);
    console.log(`  ${label}: ${dev.seconds(now - mark)}`);
    mark = now;
  };

  await dev.run('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], app);
  lap('migrations');

  const district = generateDemoDistrict();
  const shape = shapeOf(SURVEY_ID);
  if (!shape) throw new Error(`unknown survey ${SURVEY_ID}`);
  const pool: PoolEntry[] = [];
  for (const response of district.responses) {
    const validation = validateAnswers(response.answers, shape, READ_MODE);
    if (!validation.ok) throw new Error(`demo answers are invalid: ${JSON.stringify(validation.errors.slice(0, 3))}`);
    pool.push({ answers: validation.answers, hash: await fingerprint(response.answers), staffId: response.staffId });
  }
  const submitBodies = district.responses.map((response) =>
    JSON.stringify({ answers: forMode(response.answers, SUBMIT_MODE) }),
  );

  const platform = await getPlatformProxy<Env>({
    configPath: join(app, 'wrangler.toml'),
    persist: { path: join(state, 'v3') },
  });
  proxy = platform;
  const db = platform.env.DB;
  await upsertSchools(db, district.schools);
  await upsertStaff(db, district.staff);
  await signInDirector(db);
  const createdAt = new Date().toISOString();
  for (const { id, responses } of READ_CAMPAIGNS) {
    await insertCampaign(db, {
      id,
      surveyId: SURVEY_ID,
      title: `Benchmark: ${responses.toLocaleString('en')} responses`,
      // Anonymous, so that the last diagnostic can submit into the largest through the public path.
      mode: SUBMIT_MODE,
      minGroupSize: 5,
      closesAt: null,
      createdAt,
    });
  }
  await insertCampaign(db, {
    id: SUBMIT_CAMPAIGN,
    surveyId: SURVEY_ID,
    title: 'Benchmark: submissions',
    mode: SUBMIT_MODE,
    minGroupSize: 5,
    closesAt: null,
    createdAt,
  });
  await insertCampaign(db, {
    id: PROBE_CAMPAIGN,
    surveyId: SURVEY_ID,
    title: 'Benchmark: submission cost probe',
    mode: READ_MODE,
    minGroupSize: 5,
    closesAt: null,
    createdAt,
  });
  lap(`roster (${district.schools.length} schools, ${district.staff.length} staff) and 5 campaigns`);
  const steps: StepTime[] = [];
  for (const { id, responses } of READ_CAMPAIGNS) {
    if (dev.isStopping()) throw new Error('interrupted');
    const bulk = responses - NODE_STEPS * K;
    await bulkLoad(db, id, bulk, pool);
    lap(`${id}: insert ${bulk.toLocaleString('en')} responses`);
    // The first dashboard read would publish them all in one step; do it here, so the reads
    // below measure a dashboard at steady state, and report what that first step costs.
    const published = await publishPending(db, { id, minGroupSize: K, mode: SUBMIT_MODE });
    lap(`${id}: first publication step (${published.toLocaleString('en')} responses, in Node over the proxy)`);
    steps.push(await smallSteps(db, id, pool));
    lap(`${id}: ${NODE_STEPS} publication steps of ${K} responses`);
  }

  for (const { id, responses } of READ_CAMPAIGNS) {
    const row = await db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM responses WHERE campaign_id = ?1) AS stored,
           (SELECT responses_received FROM campaigns WHERE id = ?1) AS counted,
           (SELECT COUNT(*) FROM response_ratings WHERE campaign_id = ?1) AS ratings`,
      )
      .bind(id)
      .first<{ stored: number; counted: number; ratings: number }>();
    if (row?.stored !== responses || row.counted !== responses) {
      throw new Error(`${id}: loaded ${JSON.stringify(row)}, expected ${responses} responses`);
    }
    console.log(`  ${id}: ${row.stored} responses, ${row.ratings} ratings, aggregates count ${row.counted}`);
  }
  const probe = await probeSubmissionCost(db, district.responses.slice(0, PROBE_SUBMISSIONS), shape);
  console.log(
    `  submission cost probe: ${probe.storeMs.toFixed(2)} ms per storeResponse call; ` +
      `validation + fingerprint in Node ${probe.jsMs.toFixed(2)} ms`,
  );

  const sqlTimes: SqlTime[] = [];
  for (const { id } of READ_CAMPAIGNS) {
    const campaignRow = await sqlMean(db, CAMPAIGN_SQL, id);
    const aggregateRow = await sqlMean(db, AGGREGATE_COUNT_SQL, id);
    sqlTimes.push({ campaign: id, campaignRow, aggregateRow });
    console.log(
      `  ${id}: SQL time (D1 meta.duration, mean of ${SQL_SAMPLES}): COUNT(*) of its responses ` +
        `${campaignRow.toFixed(1)} ms, the campaign's responses_received ${aggregateRow.toFixed(1)} ms`,
    );
  }
  lap('checks and diagnostics');

  // The disclosure audit alone: the same reads as db/disclosure.ts, then disclosurePlan in Node.
  const solverBegin = performance.now();
  const highs = await highsLoader();
  const solverMs = performance.now() - solverBegin;
  const audits: NodeAudit[] = [];
  for (const { id } of READ_CAMPAIGNS) {
    if (dev.isStopping()) throw new Error('interrupted');
    const audit = await auditInNode(db, highs, id, steps.find((step) => step.campaign === id) as StepTime);
    audits.push(audit);
    console.log(`  ${id}: ${auditLine(audit)}`);
  }
  // The read campaigns' cells are all large (the demo's answers many times over), so their
  // audit has no occupied hidden cell to test and solves no LP. The probe campaign's 200
  // identified answers have small cells: its plan shows what the solver itself costs.
  const probeBegin = performance.now();
  const probePublished = await publishPending(db, { id: PROBE_CAMPAIGN, minGroupSize: K, mode: READ_MODE });
  const probeStep: StepTime = { campaign: PROBE_CAMPAIGN, publishMs: [performance.now() - probeBegin] };
  const probeAudit = await auditInNode(db, highs, PROBE_CAMPAIGN, probeStep);
  audits.push(probeAudit);
  console.log(`  ${PROBE_CAMPAIGN} (${probePublished} of ${PROBE_SUBMISSIONS} published): ${auditLine(probeAudit)}`);
  lap('disclosure audit in Node');
  await platform.dispose();
  proxy = undefined;
  return { submitBodies, timings, total: performance.now() - begin, sqlTimes, probe, audits, solverMs };
}

interface StepTime {
  campaign: string;
  /** Wall time of each publishPending call through getPlatformProxy that published K responses. */
  publishMs: number[];
}

/**
 * NODE_STEPS publication steps of K identical responses each (one demo answer, as an
 * anonymous respondent would send it), stored with the app's storeResponse and published
 * with publishPending, timed: a step's cost at this campaign's size.
 */
async function smallSteps(db: D1Database, campaignId: string, pool: PoolEntry[]): Promise<StepTime> {
  const publishMs: number[] = [];
  for (let step = 0; step < NODE_STEPS; step++) {
    const answers = forMode((pool[step] as PoolEntry).answers, SUBMIT_MODE);
    const bodyHash = await fingerprint(answers);
    for (let i = 0; i < K; i++) {
      const now = new Date().toISOString();
      const outcome = await storeResponse(
        db,
        {
          id: randomUUID(),
          campaignId,
          idempotencyKey: randomUUID(),
          bodyHash,
          staffId: null,
          answers,
          submittedAt: now,
        },
        now,
      );
      if (!outcome.stored) throw new Error(`${campaignId}: step response not stored: ${JSON.stringify(outcome)}`);
    }
    const begin = performance.now();
    const published = await publishPending(db, { id: campaignId, minGroupSize: K, mode: SUBMIT_MODE });
    publishMs.push(performance.now() - begin);
    if (published !== K) throw new Error(`${campaignId}: a step of ${K} identical responses published ${published}`);
  }
  return { campaign: campaignId, publishMs };
}

interface NodeAudit {
  campaign: string;
  step: StepTime;
  /** Published respondents (the school table's total) and profile_aggregates' respondent total. */
  publishedRespondents: number;
  profileRespondents: number;
  /** Competencies whose profile_aggregates total differs from their published raters (or is not published). */
  competencyMismatches: string[];
  profileRows: number;
  profiles: number;
  /** Wall time through getPlatformProxy of the batch of published counts, roster and step, and of the profile_aggregates read. */
  inputsMs: number;
  truthMs: number;
  /** disclosurePlan alone: the warm-up solve, then PLAN_SOLVES timed. */
  firstPlanMs: number;
  planMs: number[];
  audit: AuditReport;
  /** The app's readDisclosurePlan through the proxy: uncached (cache forgotten before each), then once cached. */
  appCold: number[];
  appCached: number;
  /** School segments the app's plan shows (0: it failed closed). */
  appSchoolsShown: number;
  /** Segments of the school table the plan shows (respondents' table) out of those it knows. */
  schoolsShown: number;
  schoolsKnown: number;
}

const sum = (values: Iterable<number>) => [...values].reduce((total, n) => total + n, 0);
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/**
 * What db/disclosure.ts reads for a plan (its own readAuditInputs and readTruth), timed
 * through getPlatformProxy, then the domain's disclosurePlan on it, timed alone in Node.
 */
async function auditInNode(db: D1Database, highs: Highs, campaignId: string, step: StepTime): Promise<NodeAudit> {
  const inputsBegin = performance.now();
  const { published, roster, known } = await readAuditInputs(db, { id: campaignId, minGroupSize: K });
  const inputsMs = performance.now() - inputsBegin;
  const truthBegin = performance.now();
  // The app's own read (db/disclosure.ts): null when profile_aggregates' totals are not the
  // published ones, where the app fails closed and hides every segment.
  const read = await readTruth(db, campaignId, published);
  const truthMs = performance.now() - truthBegin;
  const truth = read ?? [];
  const schoolTotal = (counts: ReadonlyMap<SegmentDimension, ReadonlyMap<string, number>> | undefined) =>
    sum(counts?.get('school')?.values() ?? []);
  const competencyMismatches = read ? [] : ['profile_aggregates totals differ from the published tables'];
  const respondents = published.respondents;

  const solve = () => {
    const begin = performance.now();
    const plan = disclosurePlan(published, roster, truth, highs);
    return { plan, ms: performance.now() - begin };
  };
  const first = solve();
  const planMs: number[] = [];
  let last = first;
  for (let i = 0; i < PLAN_SOLVES && !dev.isStopping(); i++) {
    last = solve();
    planMs.push(last.ms);
  }
  const schools = ['', ...known.school];

  // The app's own readDisclosurePlan (db/disclosure.ts) over the proxy: uncached (the
  // isolate's cache of this process forgotten first), then cached.
  const appCold: number[] = [];
  let appSchoolsShown = 0;
  for (let i = 0; i < APP_PLAN_READS && !dev.isStopping(); i++) {
    forgetDisclosurePlans();
    const begin = performance.now();
    const plan = await readDisclosurePlan(db, { id: campaignId, minGroupSize: K });
    appCold.push(performance.now() - begin);
    appSchoolsShown = schools.filter((school) => !plan.respondentsHidden('school', school)).length;
  }
  const cachedBegin = performance.now();
  await readDisclosurePlan(db, { id: campaignId, minGroupSize: K });
  const appCached = performance.now() - cachedBegin;
  return {
    appCold,
    appCached,
    appSchoolsShown,
    campaign: campaignId,
    step,
    publishedRespondents: schoolTotal(respondents),
    profileRespondents: sum(truth.map((profile) => profile.respondents)),
    competencyMismatches,
    profileRows: sum(truth.map((profile) => 1 + profile.raters.size)),
    profiles: truth.length,
    inputsMs,
    truthMs,
    firstPlanMs: first.ms,
    planMs,
    audit: last.plan.audit,
    schoolsShown: schools.filter((school) => !last.plan.respondentsHidden('school', school)).length,
    schoolsKnown: schools.length,
  };
}

const auditConsistent = (a: NodeAudit) =>
  a.profileRespondents === a.publishedRespondents &&
  a.competencyMismatches.length === 0 &&
  !a.audit.inconsistent &&
  a.appSchoolsShown > 0;

function auditLine(a: NodeAudit): string {
  return (
    `profile_aggregates respondents ${a.profileRespondents} vs published ${a.publishedRespondents}` +
    `${a.competencyMismatches.length ? `, competencies differing: ${a.competencyMismatches.slice(0, 3).join('; ')}` : ', every competency equal'}` +
    ` ${auditConsistent(a) ? '✓' : '✗'}; ${a.profileRows} rows, ${a.profiles} profiles; ` +
    `reads ${a.inputsMs.toFixed(1)} + ${a.truthMs.toFixed(1)} ms; disclosurePlan first ${a.firstPlanMs.toFixed(0)} ms, ` +
    `median of ${a.planMs.length} ${median(a.planMs).toFixed(0)} ms (LPs ${a.audit.lps}, MIPs ${a.audit.mips}, ` +
    `rounds ${a.audit.rounds}, added ${a.audit.added}, pinned ${a.audit.pinned}); ` +
    `schools shown ${a.schoolsShown} of ${a.schoolsKnown}; app readDisclosurePlan uncached ` +
    `${a.appCold.map((t) => t.toFixed(0)).join(', ')} ms, cached ${a.appCached.toFixed(1)} ms, ` +
    `schools shown ${a.appSchoolsShown}; publication steps: ` +
    `${a.step.publishMs.map((t) => t.toFixed(0)).join(', ')} ms`
  );
}

// ---------------------------------------------------------------------------------------
// 3. Read latency

interface ReadResult {
  route: string;
  campaign: string;
  responses: number;
  p50: number;
  p95: number;
  mean: number;
  check: string;
  checkOk: boolean;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function getJson(path: string): Promise<{ ms: number; status: number; body: unknown }> {
  const begin = performance.now();
  const response = await fetch(`${ORIGIN}${path}`, {
    headers: { Cookie: DIRECTOR_COOKIE },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  const ms = performance.now() - begin;
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { ms, status: response.status, body };
}

/**
 * One route over all three campaigns, interleaved: each round asks every campaign once (the
 * order rotating), so load from elsewhere on the machine falls on all three alike.
 */
async function measureRoute(
  route: string,
  path: (id: string) => string,
  verify: (body: unknown, responses: number) => [boolean, string],
): Promise<ReadResult[]> {
  const times = READ_CAMPAIGNS.map(() => [] as number[]);
  const checks = READ_CAMPAIGNS.map((): [boolean, string] => [false, 'not checked']);
  for (let round = 0; round < READ_WARM_UP + READ_TIMED && !dev.isStopping(); round++) {
    for (let k = 0; k < READ_CAMPAIGNS.length; k++) {
      const index = (round + k) % READ_CAMPAIGNS.length;
      const campaign = READ_CAMPAIGNS[index] as (typeof READ_CAMPAIGNS)[number];
      const { ms, status, body } = await getJson(path(campaign.id));
      if (status !== 200) {
        throw new Error(`GET ${path(campaign.id)} answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
      }
      if (round === 0) checks[index] = verify(body, campaign.responses);
      if (round >= READ_WARM_UP) times[index]?.push(ms);
    }
  }
  return READ_CAMPAIGNS.map(({ id, responses }, index) => {
    const sorted = [...(times[index] ?? [])].sort((a, b) => a - b);
    const [checkOk, check] = checks[index] ?? [false, 'not checked'];
    const result = {
      route,
      campaign: id,
      responses,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      mean: sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length,
      checkOk,
      check,
    };
    console.log(
      `  ${route} ${id}: p50 ${result.p50.toFixed(2)} ms, p95 ${result.p95.toFixed(2)} ms, ` +
        `mean ${result.mean.toFixed(2)} ms (${check})`,
    );
    return result;
  });
}

const field = (body: unknown, name: string): unknown =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;

/**
 * A focus list's or segment table's items, and how many the disclosure plan shows (not
 * `suppressed`). A plan that could not be worked out fails closed: nothing shown.
 */
function shownItems(body: unknown): { all: number; shown: number } {
  const items = field(body, 'items');
  const list = Array.isArray(items) ? items : [];
  return { all: list.length, shown: list.filter((item) => field(item, 'suppressed') !== true).length };
}

interface FirstRead {
  campaign: string;
  ms: number;
  shown: number;
  all: number;
}

/**
 * The first focus read of each campaign after the server started: nothing cached in the
 * isolate, so it reads profile_aggregates and solves (the very first also instantiates
 * HiGHS). Nothing is pending, so it publishes nothing.
 */
async function firstReads(): Promise<FirstRead[]> {
  const results: FirstRead[] = [];
  for (const { id } of READ_CAMPAIGNS) {
    const { ms, status, body } = await getJson(`/api/campaigns/${id}/focuses`);
    if (status !== 200) throw new Error(`GET /api/campaigns/${id}/focuses answered ${status}`);
    const { all, shown } = shownItems(body);
    results.push({ campaign: id, ms, shown, all });
    console.log(`  first read of ${id}: ${ms.toFixed(1)} ms, ${shown} of ${all} focuses shown`);
  }
  return results;
}

interface ColdResult {
  campaign: string;
  /** Each cold read (the first after a step's submissions: it publishes the step and works the plan out). */
  cold: number[];
  /** The reads right after each cold one, on the same snapshot (cached plan). */
  cached: number[];
  /** The ?by=school read after each cold one (cached plan): cells shown, out of all. */
  schoolShown: number[];
  schoolCells: number;
  /** Respondents before the samples, and after each cold read. */
  before: number;
  after: number[];
  problems: string[];
}

const coldAddress = (round: number, campaign: number, i: number) => `10.250.${round * 8 + campaign}.${i + 1}`;

/**
 * Cold reads over HTTP, COLD_SAMPLES per read campaign, interleaved: K identical
 * submissions (one demo answer, distinct Idempotency-Keys and addresses) are pending
 * until the next read, which publishes them as one step (each cell gains 0 or K) and so
 * meets a new cache key; then CACHED_AFTER_COLD plain reads and one ?by=school read of
 * the same snapshot.
 */
async function coldReads(bodies: string[]): Promise<ColdResult[]> {
  const results: ColdResult[] = [];
  for (const { id } of READ_CAMPAIGNS) {
    const { body } = await getJson(`/api/campaigns/${id}/focuses`);
    results.push({
      campaign: id,
      cold: [],
      cached: [],
      schoolShown: [],
      schoolCells: 0,
      before: Number(field(body, 'respondents')),
      after: [],
      problems: [],
    });
  }
  for (let round = 0; round < COLD_SAMPLES && !dev.isStopping(); round++) {
    for (let k = 0; k < READ_CAMPAIGNS.length; k++) {
      const index = (round + k) % READ_CAMPAIGNS.length;
      const campaign = READ_CAMPAIGNS[index] as (typeof READ_CAMPAIGNS)[number];
      const result = results[index] as ColdResult;
      const body = bodies[round % bodies.length] as string;
      for (let i = 0; i < K; i++) {
        const response = await fetch(`${ORIGIN}/api/campaigns/${campaign.id}/responses`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Idempotency-Key': randomUUID(),
            'CF-Connecting-IP': coldAddress(round, index, i),
          },
          body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await response.text();
        if (response.status !== 201 && response.status !== 200) {
          throw new Error(`POST to ${campaign.id} answered ${response.status}: ${text.slice(0, 300)}`);
        }
      }
      const path = `/api/campaigns/${campaign.id}/focuses`;
      const cold = await getJson(path);
      if (cold.status !== 200) throw new Error(`GET ${path} answered ${cold.status}`);
      result.cold.push(cold.ms);
      const respondents = Number(field(cold.body, 'respondents'));
      result.after.push(respondents);
      const expected = result.before + (round + 1) * K;
      if (respondents !== expected)
        result.problems.push(`round ${round + 1}: respondents ${respondents} ≠ ${expected}`);
      if (shownItems(cold.body).shown === 0) result.problems.push(`round ${round + 1}: no focus shown`);
      for (let i = 0; i < CACHED_AFTER_COLD; i++) {
        const cached = await getJson(path);
        if (cached.status !== 200) throw new Error(`GET ${path} answered ${cached.status}`);
        result.cached.push(cached.ms);
      }
      const bySchool = await getJson(`${path}?by=school`);
      if (bySchool.status !== 200) throw new Error(`GET ${path}?by=school answered ${bySchool.status}`);
      const { all, shown } = shownItems(bySchool.body);
      result.schoolShown.push(shown);
      result.schoolCells = all;
      if (shown === 0) result.problems.push(`round ${round + 1}: ?by=school shows no cell`);
    }
  }
  for (const r of results) {
    console.log(
      `  ${r.campaign}: cold ${r.cold.map((t) => t.toFixed(0)).join(', ')} ms; cached p50 ${median(r.cached).toFixed(1)} ms; ` +
        `respondents ${r.before} → ${r.after.join(', ')}; by school shown ${r.schoolShown.join(', ')} of ${r.schoolCells}` +
        (r.problems.length ? `; PROBLEMS: ${r.problems.join('; ')}` : ''),
    );
  }
  return results;
}

async function readLatency(): Promise<ReadResult[]> {
  const results: ReadResult[] = [];
  const routes: Array<[string, (id: string) => string, (body: unknown, n: number) => [boolean, string]]> = [
    [
      'GET /focuses',
      (id) => `/api/campaigns/${id}/focuses`,
      (body, n) => {
        const { all, shown } = shownItems(body);
        return [
          field(body, 'respondents') === n && shown > 0,
          `respondents = ${String(field(body, 'respondents'))}, ${shown} of ${all} focuses shown`,
        ];
      },
    ],
    [
      'GET /focuses?by=school',
      (id) => `/api/campaigns/${id}/focuses?by=school`,
      (body) => {
        const { all, shown } = shownItems(body);
        return [field(body, 'by') === 'school' && shown > 0, `${shown} of ${all} cells shown`];
      },
    ],
    [
      'GET /campaigns/:id',
      (id) => `/api/campaigns/${id}`,
      (body, n) => [field(body, 'responseCount') === n, `responseCount = ${String(field(body, 'responseCount'))}`],
    ],
  ];
  for (const [route, path, verify] of routes) results.push(...(await measureRoute(route, path, verify)));
  return results;
}

// ---------------------------------------------------------------------------------------
// 4. Throughput

/** Name, process group and clock ticks used (utime + stime) from a /proc/<pid>/stat or task stat line. */
function parseStat(stat: string): { name: string; group: number; ticks: number } {
  // Fields after the command name (which may hold spaces), counted from field 3 (state).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  return { name, group: Number(fields[2]), ticks: Number(fields[11]) + Number(fields[12]) };
}

interface Ticked {
  name: string;
  ticks: number;
}

interface CpuSnapshot {
  /** Ticks since boot summed over all cores: all of them, and the busy ones (not idle or iowait). */
  total: number;
  busy: number;
  cores: number;
  /** This process (the load generator). */
  client: number;
  /** Each process of wrangler dev's group (wrangler, workerd, esbuild) by pid, and each of their threads by "pid/tid". */
  processes: Map<string, Ticked>;
  threads: Map<string, Ticked>;
}

const read = (path: string) => readFileSync(path, 'utf8');

/** Where the machine's CPU time went, from /proc (Linux only; NaN elsewhere). */
function cpuSnapshot(): CpuSnapshot {
  const processes = new Map<string, Ticked>();
  const threads = new Map<string, Ticked>();
  try {
    const lines = read('/proc/stat').split('\n');
    const fields = (lines[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, n) => sum + n, 0);
    const busy = total - (fields[3] ?? 0) - (fields[4] ?? 0);
    const cores = lines.filter((line) => /^cpu\d+ /.test(line)).length;
    const client = parseStat(read('/proc/self/stat')).ticks;
    const group = dev.serverPid();
    for (const pid of group ? readdirSync('/proc') : []) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const proc = parseStat(read(`/proc/${pid}/stat`));
        if (proc.group !== group) continue;
        processes.set(pid, proc);
        for (const tid of readdirSync(`/proc/${pid}/task`)) {
          const thread = parseStat(read(`/proc/${pid}/task/${tid}/stat`));
          threads.set(`${pid}/${tid}`, { name: `${proc.name}/${thread.name}`, ticks: thread.ticks });
        }
      } catch {}
    }
    return { total, busy, cores, client, processes, threads };
  } catch {
    return { total: Number.NaN, busy: Number.NaN, cores: 0, client: Number.NaN, processes, threads };
  }
}

/** Ticks spent between snapshots (processes that exited in between are not counted). */
interface CpuTicks {
  cores: number;
  /** Ticks of one core over the interval (wall time). */
  wall: number;
  busy: number;
  client: number;
  /** By process name, and by thread ("pid/tid"). */
  processes: Map<string, number>;
  threads: Map<string, Ticked>;
}

function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): CpuTicks {
  const processes = new Map<string, number>();
  for (const [pid, proc] of after.processes) {
    processes.set(proc.name, (processes.get(proc.name) ?? 0) + proc.ticks - (before.processes.get(pid)?.ticks ?? 0));
  }
  const threads = new Map<string, Ticked>();
  for (const [key, thread] of after.threads) {
    threads.set(key, { name: thread.name, ticks: thread.ticks - (before.threads.get(key)?.ticks ?? 0) });
  }
  return {
    cores: after.cores,
    wall: (after.total - before.total) / after.cores,
    busy: after.busy - before.busy,
    client: after.client - before.client,
    processes,
    threads,
  };
}

function addTicks(a: CpuTicks, b: CpuTicks): CpuTicks {
  const processes = new Map(a.processes);
  for (const [name, ticks] of b.processes) processes.set(name, (processes.get(name) ?? 0) + ticks);
  const threads = new Map(a.threads);
  for (const [key, thread] of b.threads) {
    threads.set(key, { name: thread.name, ticks: (threads.get(key)?.ticks ?? 0) + thread.ticks });
  }
  return {
    cores: b.cores,
    wall: a.wall + b.wall,
    busy: a.busy + b.busy,
    client: a.client + b.client,
    processes,
    threads,
  };
}

/** CPU in cores (1.00 = one core busy all the time): total, server (by process), client, and the rest. */
function cpuText(ticks: CpuTicks): string {
  const cores = (n: number) => (n / ticks.wall).toFixed(2);
  const server = [...ticks.processes.values()].reduce((sum, n) => sum + n, 0);
  const byProcess = [...ticks.processes]
    .filter(([, n]) => n / ticks.wall >= 0.005)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${cores(n)}`)
    .join(', ');
  const busiest = [...ticks.threads.values()].sort((a, b) => b.ticks - a.ticks)[0];
  return (
    `${cores(ticks.busy)} of ${ticks.cores} busy; server ${cores(server)}` +
    (byProcess ? ` (${byProcess}${busiest ? `; busiest thread ${busiest.name} ${cores(busiest.ticks)}` : ''})` : '') +
    `; client ${cores(ticks.client)}; other ${cores(Math.max(0, ticks.busy - server - ticks.client))}`
  );
}

interface LoopResult {
  label: string;
  /** Sequential latency before the loops, for comparison with the loops' concurrent rate. */
  sequentialP50: number;
  requests: number;
  ok: number;
  other: Map<number, number>;
  errors: number;
  firstProblem: string | null;
  seconds: number;
  cpu: CpuTicks | null;
}

/** Keeps CONCURRENCY requests in flight until the time is up (or the cap is reached); adds to `into`. */
async function closedLoop(into: LoopResult, durationMs: number, send: () => Promise<Response>): Promise<void> {
  let issued = 0;
  const cpuBefore = cpuSnapshot();
  const begin = performance.now();
  const deadline = begin + durationMs;
  const worker = async () => {
    while (!dev.isStopping() && issued < LOOP_MAX_REQUESTS && performance.now() < deadline) {
      issued++;
      try {
        const response = await send();
        const text = await response.text();
        if (response.status >= 200 && response.status < 300) into.ok++;
        else {
          into.other.set(response.status, (into.other.get(response.status) ?? 0) + 1);
          into.firstProblem ??= `${response.status} ${text.slice(0, 300)}`;
        }
      } catch (error) {
        into.errors++;
        into.firstProblem ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - begin) / 1000;
  const cpu = cpuDelta(cpuBefore, cpuSnapshot());
  into.requests += issued;
  into.seconds += elapsed;
  into.cpu = into.cpu ? addTicks(into.cpu, cpu) : cpu;
  console.log(
    `  ${into.label}: ${issued} requests in ${elapsed.toFixed(2)} s = ${(issued / elapsed).toFixed(0)}/s; CPU ${cpuText(cpu)}`,
  );
}

interface Throughput {
  health: LoopResult;
  submit: LoopResult;
  warmUpOk: number;
  stored: number;
  /** CPU for 2 s before the loops, with the server idle. */
  idle: CpuTicks;
  /** Sequential submission p50 into the 100k campaign (after the loops). */
  large: { campaign: string; p50: number };
  /** The route refused at successive points, in closed loops (health and a full submission again for comparison). */
  stages: LoopResult[];
  /** Rows the staged loops stored (must equal the full submissions' 2xx). */
  stagedStored: number;
  /** How many different answers the submissions cycle through. */
  bodies: number;
}

/** p50 of the last half of some sequential requests; throws unless all answered 2xx. */
async function sequential(label: string, send: () => Promise<Response>): Promise<{ p50: number; ok: number }> {
  const times: number[] = [];
  for (let i = 0; i < SEQUENTIAL && !dev.isStopping(); i++) {
    const begin = performance.now();
    const response = await send();
    const text = await response.text();
    times.push(performance.now() - begin);
    if (response.status < 200 || response.status >= 300) {
      throw new Error(`${label} answered ${response.status}: ${text.slice(0, 500)}`);
    }
  }
  return {
    p50: percentile(
      times.slice(SEQUENTIAL / 2).sort((a, b) => a - b),
      50,
    ),
    ok: times.length,
  };
}

async function throughput(bodies: string[]): Promise<Throughput> {
  // What the machine does with the server idle: other work on a shared machine shows here.
  const idleBefore = cpuSnapshot();
  await sleep(2_000);
  const idle = cpuDelta(idleBefore, cpuSnapshot());
  console.log(`  CPU with the server idle (2 s): ${cpuText(idle)}`);

  let next = 0;
  // Each submission comes from its own address, as from a district's many devices: the
  // rate limit (per address and campaign) would otherwise refuse a loop from one machine.
  // wrangler dev keeps a CF-Connecting-IP the client sends (Cloudflare itself never does), and
  // the Worker takes it only because dev-server.ts passes SIMULATED_CALLERS=on.
  const address = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  const post = (campaign = SUBMIT_CAMPAIGN) =>
    fetch(`${ORIGIN}/api/campaigns/${campaign}/responses`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': randomUUID(),
        'CF-Connecting-IP': address(next),
      },
      body: bodies[next++ % bodies.length],
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  const getHealth = () => fetch(`${ORIGIN}/api/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });

  // Sequential requests first: the latency of one request alone, and the warm-up of each path.
  const healthAlone = await sequential('GET /api/health', getHealth);
  const submitAlone = await sequential(`POST to ${SUBMIT_CAMPAIGN}`, () => post());
  const result = (label: string, sequentialP50: number): LoopResult => ({
    label,
    sequentialP50,
    requests: 0,
    ok: 0,
    other: new Map(),
    errors: 0,
    firstProblem: null,
    seconds: 0,
    cpu: null,
  });
  const health = result('GET /api/health', healthAlone.p50);
  const submit = result(`POST /api/campaigns/${SUBMIT_CAMPAIGN}/responses`, submitAlone.p50);

  // The two loops take turns (ABBA…), so that load from elsewhere on the machine falls on both alike.
  const slice = LOOP_DURATION_MS / LOOP_SLICES;
  for (let i = 0; i < LOOP_SLICES && !dev.isStopping(); i++) {
    const order = i % 2 === 0 ? [health, submit] : [submit, health];
    for (const loop of order) await closedLoop(loop, slice, loop === health ? getHealth : () => post());
  }
  for (const loop of [health, submit]) {
    const others = [...loop.other].map(([status, n]) => `${status}×${n}`).join(', ') || '0';
    console.log(
      `  ${loop.label}: ${loop.requests} requests in ${loop.seconds.toFixed(2)} s = ` +
        `${(loop.requests / loop.seconds).toFixed(0)}/s; 2xx ${loop.ok}, other ${others}, errors ${loop.errors}`,
    );
    if (loop.firstProblem) console.log(`    first problem: ${loop.firstProblem}`);
  }

  const { status, body } = await getJson(`/api/campaigns/${SUBMIT_CAMPAIGN}`);
  const stored = field(body, 'responseCount');
  if (status !== 200 || typeof stored !== 'number') throw new Error(`GET /api/campaigns/${SUBMIT_CAMPAIGN}: ${status}`);
  console.log(`  stored in ${SUBMIT_CAMPAIGN}: ${stored} (sequential 2xx ${submitAlone.ok} + loop 2xx ${submit.ok})`);

  // Diagnostic: the same sequential submissions into the campaign that already holds 100,000.
  const large = READ_CAMPAIGNS[READ_CAMPAIGNS.length - 1] as (typeof READ_CAMPAIGNS)[number];
  const intoLarge = await sequential(`POST to ${large.id}`, () => post(large.id));
  console.log(`  sequential submission p50 into ${large.id}: ${intoLarge.p50.toFixed(2)} ms`);

  // Where a submission's time goes, over HTTP: the route refused at successive points, in
  // closed loops like the ones above (short slices, in turns): without an Idempotency-Key
  // it stops before the rate limit (routing, body read); with empty answers it stops at
  // validation (after the rate limit and the campaign lookup, which the isolate caches).
  let staged = 0;
  const stagedAddress = (n: number) => `10.251.${(n >> 8) & 255}.${n & 255}`;
  const refused = (answers: 'none' | 'empty') => () =>
    fetch(`${ORIGIN}/api/campaigns/${SUBMIT_CAMPAIGN}/responses`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(answers === 'empty' ? { 'Idempotency-Key': randomUUID() } : {}),
        'CF-Connecting-IP': stagedAddress(staged++),
      },
      body: answers === 'empty' ? '{"answers":{}}' : bodies[staged % bodies.length],
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  const stages: Array<[LoopResult, () => Promise<Response>]> = [
    [result('GET /api/health', healthAlone.p50), getHealth],
    [result('POST without Idempotency-Key: 400 before the rate limit', Number.NaN), refused('none')],
    [result('POST with empty answers: 422 after rate limit + campaign lookup', Number.NaN), refused('empty')],
    [result('POST a valid answer: 201 stored', submitAlone.p50), () => post()],
  ];
  const stageSlice = STAGE_DURATION_MS / 2;
  for (const order of [stages, [...stages].reverse()]) {
    for (const [loop, send] of order) if (!dev.isStopping()) await closedLoop(loop, stageSlice, send);
  }
  const storedAfter = field((await getJson(`/api/campaigns/${SUBMIT_CAMPAIGN}`)).body, 'responseCount');
  const stagedStored = typeof storedAfter === 'number' ? storedAfter - stored : Number.NaN;
  return {
    stages: stages.map(([loop]) => loop),
    stagedStored,
    health,
    submit,
    warmUpOk: submitAlone.ok,
    stored,
    idle,
    large: { campaign: large.id, p50: intoLarge.p50 },
    bodies: bodies.length,
  };
}

// ---------------------------------------------------------------------------------------
// 5. Report

const ms = (value: number) => value.toFixed(2);
const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');

function report(
  run: { code: string; reloads: number },
  loaded: Loaded,
  startup: number,
  reads: ReadResult[],
  load: Throughput,
  audit: { first: FirstRead[]; colds: ColdResult[] },
): string {
  const { cores, cpu, node, wrangler } = dev.machine();
  const lines: string[] = [];
  lines.push(
    `Run ${new Date().toISOString()} on ${cores} cores (${cpu}), Node ${node}, wrangler ${wrangler}; ` +
      `command \`npx tsx bench/run.ts\`. Code: ${run.code}. wrangler dev reloads during the run: ${run.reloads}.`,
    '',
    `Loading (migrations, roster, 111,000 responses, aggregates, checks): ${dev.seconds(loaded.total)}` +
      ` (${loaded.timings.map(([label, t]) => `${label} ${dev.seconds(t)}`).join('; ')}). ` +
      `wrangler dev ready in ${dev.seconds(startup)}.`,
    '',
    `**Read latency**: per row ${READ_WARM_UP} warm-up then ${READ_TIMED} timed requests, one at a time, ` +
      'the three campaigns interleaved (round-robin, rotating order); client-side time to the last byte over loopback.',
    '',
    '| route | campaign | responses | p50 ms | p95 ms | mean ms | check |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
  );
  for (const r of reads) {
    lines.push(
      `| \`${r.route}\` | ${r.campaign} | ${r.responses.toLocaleString('en')} | ${ms(r.p50)} | ${ms(r.p95)} | ` +
        `${ms(r.mean)} | ${r.check} ${r.checkOk ? '✓' : '✗'} |`,
    );
  }
  const fmt = (values: number[]) =>
    values.length ? `${ms(median(values))} (${ms(Math.min(...values))}–${ms(Math.max(...values))})` : 'n/a';
  lines.push(
    '',
    `**Disclosure audit per read** (over HTTP, after the steady-state reads above). "first read": the first ` +
      '`GET /focuses` of each campaign after the server started (nothing cached in the isolate; nothing pending, ' +
      'so no step; the first of the three also instantiates HiGHS). "cold": ' +
      `${COLD_SAMPLES} per campaign, each the first read after ${K} (= k) identical new submissions: it publishes ` +
      'them as one step (the step number is part of the cache key), then reads the published counts, the roster ' +
      'and `profile_aggregates` and solves the plan. "cached": the ' +
      `${CACHED_AFTER_COLD} reads right after each cold one, same snapshot. Median (min–max), ms.`,
    '',
    '| campaign | responses | first read ms | cold ms | cached ms | cold − cached (medians) ms | `?by=school` after each step: cells shown | respondents after the steps | check |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
  );
  for (const c of audit.colds) {
    const f = audit.first.find((x) => x.campaign === c.campaign);
    const responses = READ_CAMPAIGNS.find((x) => x.id === c.campaign)?.responses ?? 0;
    lines.push(
      `| ${c.campaign} | ${responses.toLocaleString('en')} | ${f ? ms(f.ms) : 'n/a'} | ${fmt(c.cold)} | ${fmt(c.cached)} | ` +
        `${ms(median(c.cold) - median(c.cached))} | ${c.schoolShown.join(', ')} of ${c.schoolCells} | ` +
        `${c.before.toLocaleString('en')} → ${(c.after[c.after.length - 1] ?? c.before).toLocaleString('en')} | ` +
        `${c.problems.length ? `✗ ${c.problems.join('; ')}` : '✓'} |`,
    );
  }
  lines.push(
    '',
    "**The audit's parts, in Node** (before the server started, through `getPlatformProxy` on the same data; " +
      `wall clock). "publish step": \`publishPending\` publishing ${K} identical new responses, ${NODE_STEPS} ` +
      'steps per campaign (the first step, over the bulk load, is in the loading line above; for bench-probe, ' +
      `its only step, over the ${PROBE_SUBMISSIONS} identified answers stored with \`storeResponse\`: the read ` +
      "campaigns' cells are all large, so their audit has no occupied hidden cell to test and solves no LP, while " +
      'bench-probe\'s small cells make the solver work). "reads": the batch ' +
      'of published counts, schools, roster and step that db/disclosure.ts reads on every focus read, then the ' +
      "`profile_aggregates` read that only an uncached read makes (db/disclosure.ts's own readAuditInputs and readTruth). " +
      `"\`readDisclosurePlan\`": the app's own function (db/disclosure.ts) over the proxy, the cache forgotten ` +
      `before each of ${APP_PLAN_READS} calls (reads, profile_aggregates, solve), median (min–max), then once cached. ` +
      `"disclosurePlan": the domain's function alone on those counts, 1 warm-up then ${PLAN_SOLVES} timed ` +
      `solves, median (min–max); HiGHS instantiation in Node took ${ms(loaded.solverMs)} ms, once. ` +
      `"profile totals": \`profile_aggregates\`' respondents and raters per competency against the published ` +
      "tables' totals (if they differ, db/disclosure.ts fails closed and hides every segment).",
    '',
    '| campaign | publish step ms | reads ms | `profile_aggregates` read ms (rows) | disclosurePlan ms | first solve ms | LPs / MIPs / rounds / added / pinned | profiles | schools shown | `readDisclosurePlan` uncached / cached ms | profile totals |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- | --- | --- |',
    ...loaded.audits.map(
      (a) =>
        `| ${a.campaign} | ${a.step.publishMs.map((t) => t.toFixed(1)).join(', ')} | ${ms(a.inputsMs)} | ` +
        `${ms(a.truthMs)} (${a.profileRows}) | ${fmt(a.planMs)} | ${ms(a.firstPlanMs)} | ` +
        `${a.audit.lps} / ${a.audit.mips} / ${a.audit.rounds} / ${a.audit.added} / ${a.audit.pinned} | ${a.profiles} | ` +
        `${a.schoolsShown} of ${a.schoolsKnown} | ${fmt(a.appCold)} / ${ms(a.appCached)} | ` +
        (auditConsistent(a)
          ? `respondents ${a.profileRespondents.toLocaleString('en')} = published ✓`
          : `✗ respondents ${a.profileRespondents} vs ${a.publishedRespondents}; ${a.competencyMismatches.slice(0, 3).join('; ')}`) +
        ' |',
    ),
  );
  lines.push(
    '',
    '**Counting responses vs reading the running count**: time SQLite spent on one statement (D1 ' +
      `\`meta.duration\`, whole milliseconds locally, so the mean of ${SQL_SAMPLES}; through \`getPlatformProxy\` ` +
      'after loading).',
    '',
    '| campaign | `SELECT COUNT(*) FROM responses WHERE campaign_id = ?` ms | `SELECT responses_received FROM campaigns WHERE id = ?` ms |',
    '| --- | ---: | ---: |',
    ...loaded.sqlTimes.map((t) => `| ${t.campaign} | ${t.campaignRow.toFixed(1)} | ${t.aggregateRow.toFixed(1)} |`),
  );
  lines.push(
    '',
    `**Throughput**: closed loop, ${CONCURRENCY} requests in flight, ${LOOP_DURATION_MS / 1000} s per route ` +
      `in ${LOOP_SLICES} slices taken in turns with the other route (ABBA…), at most ` +
      `${LOOP_MAX_REQUESTS.toLocaleString('en')} requests per slice; submissions to an ${SUBMIT_MODE} campaign, ` +
      `each a demo answer (cycling through ${load.bodies}) with a fresh \`Idempotency-Key\`. Before the loops, ` +
      `${SEQUENTIAL} sequential requests per route: their p50 (last ${SEQUENTIAL / 2}) is "alone"; they warm ` +
      'the paths up, and the sequential submissions are stored too.',
    '',
    '| route | alone p50 ms | requests | seconds | requests/s | 2xx | 2xx/s | other statuses | network errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  );
  for (const r of [load.health, load.submit]) {
    const other = [...r.other].map(([status, n]) => `${status} × ${n}`).join(', ') || '0';
    lines.push(
      `| \`${r.label}\` | ${ms(r.sequentialP50)} | ${r.requests} | ${r.seconds.toFixed(2)} | ` +
        `${(r.requests / r.seconds).toFixed(0)} | ${r.ok} | ${(r.ok / r.seconds).toFixed(0)} | ${other} | ${r.errors} |`,
    );
  }
  lines.push(
    '',
    "**Where a submission's time goes, over HTTP**: the same route refused at successive points, closed loops of " +
      `${CONCURRENCY} in flight, ${STAGE_DURATION_MS / 1000} s per row in 2 slices (rows in order, then in reverse), ` +
      'after the loops above. Requests/s counts every answer; the status column says which. The 400 stops before ' +
      'the rate limit (routing, session middleware, body read); the 422 after the rate limit, the campaign lookup ' +
      '(cached in the isolate after the first) and validation of an empty answer; the 201 adds validating a full ' +
      `answer, its fingerprint and the store (one D1 statement and its trigger). Stored by the 201 row: ${load.stagedStored}.`,
    '',
    '| stage | requests | seconds | requests/s | statuses | share of the no-op | busiest server thread |',
    '| --- | ---: | ---: | ---: | --- | ---: | --- |',
  );
  const stageHealth = load.stages[0];
  for (const r of load.stages) {
    const statuses = [...(r.ok ? ([['2xx', r.ok]] as Array<[string | number, number]>) : []), ...r.other]
      .map(([status, n]) => `${status} × ${n}`)
      .join(', ');
    const busiest = r.cpu ? [...r.cpu.threads.values()].sort((a, b) => b.ticks - a.ticks)[0] : undefined;
    lines.push(
      `| ${r.label} | ${r.requests} | ${r.seconds.toFixed(2)} | ${(r.requests / r.seconds).toFixed(0)} | ` +
        `${statuses || '0'}${r.errors ? `, ${r.errors} errors` : ''} | ` +
        `${stageHealth ? `${((r.requests / r.seconds / (stageHealth.requests / stageHealth.seconds)) * 100).toFixed(1)}%` : ''} | ` +
        `${busiest && r.cpu ? `${busiest.name} ${(busiest.ticks / r.cpu.wall).toFixed(2)}` : 'n/a'} |`,
    );
  }
  lines.push(
    '',
    "**CPU** in cores (1.00 = one core busy all the time, from /proc): server = wrangler dev's process group by " +
      'process name, client = this process (the load generator), other = everything else on the machine.',
    '',
    '| during | CPU |',
    '| --- | --- |',
    `| 2 s with the server idle, before the loops | ${cpuText(load.idle)} |`,
    ...[load.health, load.submit].map((r) => `| \`${r.label}\` loop | ${r.cpu ? cpuText(r.cpu) : 'not measured'} |`),
    '',
    `**Where a submission's time goes** (diagnostic, before the server starts): \`storeResponse\` run ` +
      `${loaded.probe.submissions} times through \`getPlatformProxy\` takes ${ms(loaded.probe.storeMs)} ms per call ` +
      `(wall clock: one INSERT whose trigger counts the response, and the round ` +
      `trip to the local D1); ` +
      `\`validateAnswers\` + \`fingerprint\` take ${ms(loaded.probe.jsMs)} ms per answer in Node (same V8 as workerd).`,
    '',
    `Diagnostic after the loops: ${SEQUENTIAL} sequential submissions into ${load.large.campaign} ` +
      `(100,000 stored): p50 ${ms(load.large.p50)} ms (last ${SEQUENTIAL / 2}), against ` +
      `${ms(load.submit.sequentialP50)} ms into the nearly empty ${SUBMIT_CAMPAIGN} before its loops.`,
  );

  const at = (route: string, id: string) => reads.find((r) => r.route === route && r.campaign === id);
  const goals: Array<[string, string, boolean]> = [];
  for (const route of ['GET /focuses', 'GET /focuses?by=school']) {
    const small = at(route, 'bench-1k');
    const large = at(route, 'bench-100k');
    if (!small || !large) continue;
    const ratio = large.p50 / small.p50;
    goals.push([
      `\`${route}\` p50 at 100k ≤ 2 × p50 at 1k`,
      `${ms(large.p50)} / ${ms(small.p50)} ms = ${ratio.toFixed(2)}× (p95 ${(large.p95 / small.p95).toFixed(2)}×, ` +
        `mean ${(large.mean / small.mean).toFixed(2)}×)`,
      ratio <= 2,
    ]);
  }
  const focusChecks = reads.filter((r) => r.route !== 'GET /campaigns/:id');
  goals.push([
    'focus answers are about every loaded response',
    focusChecks.filter((r) => r.checkOk).length === focusChecks.length
      ? '`respondents` = 1,000 / 10,000 / 100,000; by school non-empty'
      : focusChecks
          .filter((r) => !r.checkOk)
          .map((r) => `${r.route} ${r.campaign}: ${r.check}`)
          .join('; '),
    focusChecks.every((r) => r.checkOk),
  ]);
  const auditOk =
    loaded.audits.every(auditConsistent) &&
    audit.colds.every((c) => c.problems.length === 0 && c.cold.length === COLD_SAMPLES) &&
    audit.first.every((f) => f.shown > 0);
  goals.push([
    'the audit does not fail closed: `profile_aggregates` totals = published, every read shows focuses and school cells, each step publishes k',
    auditOk
      ? `totals equal for ${loaded.audits.map((a) => a.campaign).join(', ')}; ${COLD_SAMPLES} steps each published ${K}; ` +
        `\`?by=school\` shows ${audit.colds.map((c) => `${Math.min(...c.schoolShown)}–${Math.max(...c.schoolShown)}`).join(' / ')} of ${audit.colds[0]?.schoolCells ?? 0} cells`
      : [
          ...loaded.audits.filter((a) => !auditConsistent(a)).map((a) => `${a.campaign}: ${auditLine(a)}`),
          ...audit.colds.filter((c) => c.problems.length).map((c) => `${c.campaign}: ${c.problems.join('; ')}`),
          ...audit.first.filter((f) => f.shown === 0).map((f) => `${f.campaign}: first read shows no focus`),
        ].join('; '),
    auditOk,
  ]);
  const rate = (r: LoopResult) => r.ok / r.seconds;
  const share = rate(load.submit) / rate(load.health);
  goals.push([
    'submissions ≥ 50% of the no-op route (2xx/s)',
    `${rate(load.submit).toFixed(0)} / ${rate(load.health).toFixed(0)} per s = ${(share * 100).toFixed(1)}%`,
    share >= 0.5,
  ]);
  const expected = load.warmUpOk + load.submit.ok;
  const stagedOk = load.stages[load.stages.length - 1]?.ok ?? 0;
  goals.push([
    'stored rows = 2xx answers',
    `${load.stored} stored; ${expected} 2xx (${load.warmUpOk} sequential + ${load.submit.ok} loop)` +
      (load.submit.errors > 0 ? `; ${load.submit.errors} requests without an answer` : '') +
      `; breakdown: ${load.stagedStored} stored, ${stagedOk} 2xx`,
    load.stored === expected && load.stagedStored === stagedOk,
  ]);
  lines.push('', '**Goals**', '', '| goal | measured | result |', '| --- | --- | --- |');
  for (const [goal, measured, pass] of goals) {
    lines.push(`| ${goal} | ${measured} | ${goal.startsWith('the audit') && !pass ? 'FAIL' : verdict(pass)} |`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------

async function main() {
  const begin = performance.now();
  const folder = dev.openBench({
    prefix: 'homegrown-bench-',
    folderLabel: 'temporary state folder',
    beforeStop: disposeProxy,
  });
  const { app, state } = folder;
  try {
    if (!existsSync(join(dev.ROOT, 'dist', 'index.html'))) {
      console.log('Building the site (dist/ is missing)…');
      await dev.run('astro', ['build', '--root', 'site', '--silent'], dev.ROOT);
    }
    const code = dev.codeVersion();
    dev.snapshotApp(app);
    console.log(`Measuring ${code}.`);
    await importWorkerModules();
    console.log('Loading data…');
    const loaded = await loadData(app, state);
    console.log(`Loaded in ${dev.seconds(loaded.total)}.`);

    console.log(`Starting wrangler dev on ${ORIGIN}…`);
    const startup = await dev.startServer(folder, PORT);
    console.log(`Ready in ${dev.seconds(startup)}.`);

    console.log('First reads after the server started…');
    const first = await firstReads();
    console.log('Read latency…');
    const reads = await readLatency();
    console.log('Cold reads (a publication step each)…');
    const colds = await coldReads(loaded.submitBodies);
    console.log('Throughput…');
    const load = await throughput(loaded.submitBodies);
    if (dev.isStopping()) return;

    const markdown = report({ code, reloads: dev.reloads(folder) }, loaded, startup, reads, load, { first, colds });
    await dev.writeResults('results.md', 'Benchmark results', markdown);
    console.log(`\n${markdown}\nWritten to bench/results.md. Whole run: ${dev.seconds(performance.now() - begin)}.`);
  } finally {
    await dev.cleanup();
  }
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    await dev.cleanup();
    process.exit(1);
  },
);
