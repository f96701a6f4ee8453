/**
 * What the disclosure plan of a published snapshot reads (domain/disclosure.ts): the
 * published counts of every table, every segment each dimension knows, the roster's staff
 * counts per profile (which a reader of the dashboard is assumed to know), and, for the
 * audit alone, the true counts per full profile of the published responses.
 *
 * The true counts come from profile_aggregates (migration 0013), which publication keeps
 * (db/aggregates.ts): a read of one row per profile and competency, the same at 1,000 and
 * 100,000 responses (bench/), where a GROUP BY over the published ratings took 5–6.5 s at
 * 100,000. The plan is worked out once per published snapshot and cached in the isolate
 * per (campaign, published step, k, roster and segment lists): a snapshot only changes
 * when a step publishes, and a roster import changes the key.
 */
import {
  type DisclosurePlan,
  disclosurePlan,
  type ProfileCounts,
  type PublishedCounts,
  type RosterProfile,
  type Segment,
} from '../domain/disclosure';
import { SEGMENT_DIMENSIONS, type SegmentDimension } from '../domain/focuses';
import { idLists } from '../domain/framework';
import { solver } from '../domain/lp';

type Counts = Map<Segment, number>;

/** The value under `key`, made empty first where there is none. */
function entry<K, V>(map: Map<K, V>, key: K, empty: () => V): V {
  const found = map.get(key);
  if (found !== undefined) return found;
  const made = empty();
  map.set(key, made);
  return made;
}

/** Plans already worked out in this isolate, by snapshot key; a few campaigns at most are read at once. */
const cache = new Map<string, DisclosurePlan>();
const CACHE_SIZE = 32;

/** Forgets every cached plan: for tests that change what a snapshot's key does not cover. */
export function forgetDisclosurePlans(): void {
  cache.clear();
}

/** The plan for the campaign's published snapshot (publish first: see publishedAggregates). */
export async function readDisclosurePlan(
  db: D1Database,
  campaign: { id: string; minGroupSize: number },
): Promise<DisclosurePlan> {
  for (let attempt = 0; ; attempt++) {
    const plan = await tryRead(db, campaign);
    // A step published between the two reads: read again (a step needs k new people, so this is rare).
    if (plan || attempt >= 2) return plan ?? failClosed(campaign.minGroupSize);
  }
}

/** What every read of a plan reads first: the published counts, the roster's, and the step they are of. */
export async function readAuditInputs(db: D1Database, campaign: { id: string; minGroupSize: number }) {
  const stepStatement = db.prepare('SELECT published_step AS step FROM campaigns WHERE id = ?').bind(campaign.id);
  const [respondentRows, raterRows, schoolRows, rosterRows, stepRows] = await db.batch<Record<string, unknown>>([
    db.prepare('SELECT dimension, segment, n FROM respondent_aggregates WHERE campaign_id = ?').bind(campaign.id),
    db
      .prepare(
        'SELECT competency_id AS competencyId, dimension, segment, n FROM rating_aggregates WHERE campaign_id = ?',
      )
      .bind(campaign.id),
    db.prepare('SELECT id FROM schools ORDER BY id'),
    // Retired staff (migration 0016) too: they may have answered, and a reader may have
    // known the roster before they left, so the bound is the larger roster.
    db.prepare(
      `SELECT COALESCE(school_id, '') AS school, role, COALESCE(career_stage, '') AS careerStage,
         COALESCE(subject, '') AS subject, COALESCE(grade_band, '') AS gradeBand, COUNT(*) AS staff
       FROM staff GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    ),
    stepStatement,
  ]);
  const rows = <T>(result: D1Result<Record<string, unknown>> | undefined) => (result?.results ?? []) as T[];
  const respondents = new Map<SegmentDimension, Counts>();
  for (const row of rows<{ dimension: SegmentDimension; segment: string; n: number }>(respondentRows)) {
    entry(respondents, row.dimension, () => new Map()).set(row.segment, row.n);
  }
  const raters = new Map<string, Map<SegmentDimension, Counts>>();
  for (const row of rows<{ competencyId: string; dimension: SegmentDimension; segment: string; n: number }>(
    raterRows,
  )) {
    const byDimension = entry(raters, row.competencyId, () => new Map<SegmentDimension, Counts>());
    entry(byDimension, row.dimension, () => new Map()).set(row.segment, row.n);
  }
  const known: Record<SegmentDimension, readonly Segment[]> = {
    school: rows<{ id: string }>(schoolRows).map((row) => row.id),
    role: idLists.jobRoles.map((item) => item.id),
    careerStage: idLists.careerStages.map((item) => item.id),
    subject: idLists.subjects.map((item) => item.id),
    gradeBand: idLists.gradeBands.map((item) => item.id),
  };
  const published: PublishedCounts = {
    k: campaign.minGroupSize,
    respondents,
    raters,
    segments: new Map(SEGMENT_DIMENSIONS.map((dimension) => [dimension, ['', ...known[dimension]]])),
  };
  const roster = rows<RosterProfile>(rosterRows);
  const step = rows<{ step: number }>(stepRows)[0]?.step ?? 0;
  return { published, roster, known, step, stepStatement };
}

async function tryRead(db: D1Database, campaign: { id: string; minGroupSize: number }) {
  const { published, roster, known, step, stepStatement } = await readAuditInputs(db, campaign);
  const key = JSON.stringify([campaign.id, step, campaign.minGroupSize, await fingerprint([known, roster])]);
  const cached = cache.get(key);
  if (cached) return cached;

  const truth = await readTruth(db, campaign.id, published);
  if (!truth) return null;
  const stepAgain = await stepStatement.first<{ step: number }>();
  if ((stepAgain?.step ?? 0) !== step) return null;
  const plan = disclosurePlan(published, roster, truth, await solver());
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, plan);
  return plan;
}

type ProfileRow = Omit<ProfileCounts, 'respondents' | 'raters'> & { competencyId: string; n: number };

/**
 * The true counts per profile, from profile_aggregates (migration 0013), which every
 * publication step adds to in the same batch as the published tables; null when its
 * totals are not the published ones (a step in between: read again).
 */
export async function readTruth(
  db: D1Database,
  campaignId: string,
  published: PublishedCounts,
): Promise<ProfileCounts[] | null> {
  const kept = await db
    .prepare(
      `SELECT competency_id AS competencyId, school, role, career_stage AS careerStage, subject,
         grade_band AS gradeBand, n FROM profile_aggregates WHERE campaign_id = ?`,
    )
    .bind(campaignId)
    .all<ProfileRow>();
  const totals = new Map<string, number>();
  for (const row of kept.results) totals.set(row.competencyId, (totals.get(row.competencyId) ?? 0) + row.n);
  const publishedTotal = (counts: ReadonlyMap<SegmentDimension, ReadonlyMap<Segment, number>> | undefined) =>
    [...(counts?.get('school')?.values() ?? [])].reduce((sum, n) => sum + n, 0);
  const current =
    (totals.get('') ?? 0) === publishedTotal(published.respondents) &&
    [...published.raters].every(
      ([competencyId, counts]) => (totals.get(competencyId) ?? 0) === publishedTotal(counts),
    ) &&
    [...totals.keys()].every((competencyId) => competencyId === '' || published.raters.has(competencyId));
  return current ? profilesOf(kept.results) : null;
}

function profilesOf(rows: readonly ProfileRow[]): ProfileCounts[] {
  const key = (row: ProfileRow) => JSON.stringify([row.school, row.role, row.careerStage, row.subject, row.gradeBand]);
  const profiles = new Map<string, ProfileCounts & { raters: Map<string, number> }>();
  for (const row of rows) {
    const { competencyId, n, ...profile } = row;
    let found = profiles.get(key(row));
    if (!found) {
      found = { ...profile, respondents: 0, raters: new Map() };
      profiles.set(key(row), found);
    }
    if (competencyId === '') found.respondents = n;
    else found.raters.set(competencyId, n);
  }
  return [...profiles.values()];
}

/** What no read could settle: every segment hidden, every competency's district figure too. */
function failClosed(k: number): DisclosurePlan {
  return { k, respondentsHidden: () => true, competencyHidden: () => true, ratersHidden: () => true };
}

async function fingerprint(value: unknown): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(value)));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
