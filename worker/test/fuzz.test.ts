/**
 * Fuzzing every write route (POST, PUT, PATCH, DELETE under /api), enumerated from
 * `app.routes` as access.test.ts does, so a new route is fuzzed without anyone listing it.
 *
 * Each case calls one route as the principal that passes its access check (sometimes as
 * another allowed one, sometimes as nobody or the wrong role), with path ids that are
 * mostly real (from the fixture below) and sometimes hostile, and a body that is mostly a
 * mutation of a valid one for that route (SPECS below), sometimes random JSON, sent with
 * the right Content-Type and valid JSON most of the time. Each route first gets its valid
 * case, then every single mutation of its valid body (fuzz-bodies.ts `sweep`: drop, null,
 * empty, wrong type, edge value per field, an unknown field), then NUM_RUNS random cases.
 * For every call:
 *
 * - the status is never 5xx;
 * - a 4xx answer is JSON `{ error: { code: string, message: string } }`;
 * - a refused request (status ≥ 400) stores nothing: every user table carries test-only
 *   triggers that count the rows inserted, updated and deleted, and those counts (with each
 *   table's row count and max rowid) are the same before and after the call, audit log
 *   included.
 *
 * Each route must answer 2xx to at least one case and refuse at least one for a reason of
 * its own (not the access check or the transport), so a route whose fixture or valid body
 * is missing fails here rather than being fuzzed only at its front door. A last group checks
 * which refusals the rate limits count.
 *
 * Bounded for CI: a fixed seed per route, the sweep plus NUM_RUNS random cases each (about
 * 1,400 calls in all).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccessCheck } from '../src/auth/access';
import { ROLES } from '../src/auth/roles';
import { hashToken, newToken } from '../src/auth/tokens';
import { insertAccountStatements, insertSignInLink } from '../src/db/accounts';
import { inviteStatements } from '../src/db/board-members';
import { upsertStaff } from '../src/db/roster';
import type { BoardState } from '../src/domain/boards';
import { hexagonIndicators } from '../src/domain/framework';
import app from '../src/index';
import {
  type BodyChoice,
  bodyChoice,
  bodyText,
  CONTENT_TYPES,
  mutate,
  type ParamChoice,
  paramChoice,
  type SentRequest,
  sweep,
  type Transport,
  transport,
} from './fuzz-bodies';
import {
  addCard,
  answers,
  api,
  boardMember,
  type Caller,
  createBoard,
  createCampaign,
  db,
  del,
  invite,
  postJson,
  seedRoster,
  signedIn,
  signedInNamed,
  withinOneMinute,
} from './helpers';

/** Cases per route. About 40 routes × this, at roughly 20 ms a case on a busy 2-core machine. */
const NUM_RUNS = 20;
/** The seed of every run (each route mixes in its own name, so adding a route changes no other route's cases). */
const SEED = 20_261_117;

/**
 * Known counterexamples, tolerated so that this file can be committed before their fixes
 * land: each names the route, what it is, and a test on the exact request sent. The lead
 * empties this list; while it is empty, every 5xx and every refusal that stores something
 * fails the test. Example entry (bodyOf is in ./fuzz-bodies):
 *
 *   { route: 'POST /api/campaigns/:id/responses', kind: '5xx', why: 'an empty school',
 *     matches: (request) => bodyOf(request)?.answers?.school === '' },
 */
const KNOWN_BUGS: Array<{
  route: string;
  kind: '5xx' | 'stored on refusal';
  why: string;
  matches: (request: SentRequest) => boolean;
}> = [];

// ── The routes ───────────────────────────────────────────────────────────────

interface WriteRoute {
  key: string;
  method: string;
  path: string;
  params: string[];
  audience: readonly string[];
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const writeRoutes: WriteRoute[] = (() => {
  const routes = new Map<string, WriteRoute>();
  for (const route of app.routes) {
    if (!WRITE_METHODS.has(route.method) || !route.path.startsWith('/api/')) continue;
    const key = `${route.method} ${route.path}`;
    const audience = (route.handler as Partial<AccessCheck>).audience;
    const known = routes.get(key);
    if (known) {
      if (audience) known.audience = audience;
      continue;
    }
    const params = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1] ?? '');
    routes.set(key, { key, method: route.method, path: route.path, params, audience: audience ?? [] });
  }
  return [...routes.values()];
})();

// ── The fixture ──────────────────────────────────────────────────────────────

interface Person {
  accountId: string;
  email: string;
  cookie: string;
}

/** What every route shares: the roster, the district's principals and three campaigns. */
interface Shared {
  admin: Person;
  director: Person;
  facilitator: Person;
  noRole: Person;
  /** Anonymous, open, with published responses rating two competencies (so it has prioritized focuses). */
  anonymous: string;
  /** Identified, open: pilot candidates T1–T6 answered through their personal links. */
  identified: string;
  closed: string;
  /** Unused personal links of the identified campaign, by staff id. */
  links: Map<string, string>;
  /** A personal link already used. */
  usedLink: string;
}

let shared: Shared;

/** A board with its team and one of each thing on it, live and deleted. */
interface Board {
  id: string;
  fac: Person;
  member: Person;
  viewer: Person;
  card: string;
  deletedCard: string;
  comment: string;
  deletedComment: string;
  cluster: string;
  deletedCluster: string;
}

type BoardKind = 'protocol' | 'hexagon' | 'plan';

const ADDRESS_BASE = 0x0a000000;
let setupAddress = 0;
/** A new caller address for fixture calls, so fixture writes never meet a rate limit. */
const fixtureAddress = () => {
  setupAddress += 1;
  return `172.16.${(setupAddress >> 8) & 255}.${setupAddress & 255}`;
};

async function ok<T>(res: Response | Promise<Response>, status?: number): Promise<T> {
  const answer = await res;
  if (status !== undefined ? answer.status !== status : !answer.ok) {
    throw new Error(`fixture call failed: ${answer.status} ${await answer.text()}`);
  }
  return (await answer.json()) as T;
}

function respond(campaign: string, body: unknown, link?: string) {
  return postJson(
    `/api/campaigns/${campaign}/responses`,
    body,
    {
      'Idempotency-Key': crypto.randomUUID(),
      'CF-Connecting-IP': fixtureAddress(),
      ...(link ? { Authorization: `Bearer ${link}` } : {}),
    },
    'nobody',
  );
}

/** Issues personal links again and keeps the unused ones (staff who have not answered). */
async function reissueLinks(): Promise<void> {
  shared.links = await invite(shared.identified);
}

async function buildShared(): Promise<Shared> {
  await seedRoster(
    Array.from({ length: 12 }, (_, i) => ({
      email: `staff${i + 1}@district.example`,
      schoolId: i % 2 === 0 ? 'maple-elementary' : 'ridge-middle',
      ...(i === 11 ? { isCoach: true, coachFocuses: ['formative-assessment'] } : {}),
    })),
  );
  const [admin, director, facilitator, noRole] = await Promise.all([
    signedIn(['admin']),
    signedIn(['director']),
    signedIn(['facilitator']),
    signedIn([]),
  ]);
  const anonymous = await createCampaign({ title: 'Fuzz anonymous' });
  for (let i = 0; i < 6; i++) await ok(respond(anonymous, { answers: answers() }), 201);
  // Publishes them: plans need prioritized focuses, which read published figures.
  await ok(api(`/api/campaigns/${anonymous}/focuses`, {}, admin));
  const identified = await createCampaign({ title: 'Fuzz identified', mode: 'identified' });
  const links = await invite(identified);
  for (const staffId of ['T1', 'T2', 'T3', 'T4', 'T5', 'T6']) {
    const body = {
      answers: answers({
        school: staffId === 'T1' || staffId === 'T3' || staffId === 'T5' ? 'maple-elementary' : 'ridge-middle',
        pilotWilling: true,
        contactConsent: true,
        peerNominations: ['T12'],
      }),
    };
    await ok(respond(identified, body, links.get(staffId)), 201);
  }
  const usedLink = links.get('T1') ?? '';
  for (const staffId of ['T1', 'T2', 'T3', 'T4', 'T5', 'T6']) links.delete(staffId);
  const closed = await createCampaign({ title: 'Fuzz closed' });
  await ok(postJson(`/api/campaigns/${closed}/close`, {}, {}, admin));
  return { admin, director, facilitator, noRole, anonymous, identified, closed, links, usedLink };
}

const boardPath = (board: string) => `/api/boards/${board}`;

async function buildBoard(kind: BoardKind): Promise<Board> {
  const fac = await signedInNamed(['facilitator'], `Fuzz ${kind} facilitator`);
  const state = await createBoard(fac, { campaignId: shared.anonymous, template: kind, voteBudget: 50 });
  const id = state.id;
  const member = await boardMember(id, 'member', fac, 'Fuzz Member');
  const viewer = await boardMember(id, 'viewer', fac, 'Fuzz Viewer');
  const board: Board = {
    id,
    fac,
    member,
    viewer,
    card: '',
    deletedCard: '',
    comment: '',
    deletedComment: '',
    cluster: '',
    deletedCluster: '',
  };
  if (kind === 'hexagon') {
    board.card = (await addCard(id, fac, 'Program: exit tickets', 'programs')).card.id;
    return board;
  }
  if (kind === 'plan') {
    board.card = (await addCard(id, fac, 'What does week 1 look like?', 'notes')).card.id;
    return board;
  }
  board.card = (await addCard(id, member, 'Exit tickets every day')).card.id;
  board.deletedCard = (await addCard(id, member, 'A card to delete')).card.id;
  await ok(del(`${boardPath(id)}/cards/${board.deletedCard}`, fac));
  const comments = async (text: string) => {
    const after = await ok<BoardState>(
      postJson(`${boardPath(id)}/cards/${board.card}/comments`, { text }, {}, member),
      201,
    );
    return after.cards.find((card) => card.id === board.card)?.comments.find((c) => c.text === text)?.id ?? '';
  };
  board.comment = await comments('Yes, and on Fridays');
  board.deletedComment = await comments('A comment to delete');
  await ok(del(`${boardPath(id)}/comments/${board.deletedComment}`, fac));
  const cluster = async (name: string) => {
    const after = await ok<BoardState>(
      postJson(`${boardPath(id)}/clusters`, { name, cardIds: [board.card] }, {}, member),
      201,
    );
    return after.clusters.find((c) => c.name === name && c.deletedAt === null)?.id ?? '';
  };
  board.deletedCluster = await cluster('A theme to ungroup');
  await ok(del(`${boardPath(id)}/clusters/${board.deletedCluster}`, fac));
  board.cluster = await cluster('Checking for understanding');
  await ok(postJson(`${boardPath(id)}/cards/${board.card}/votes`, {}, {}, fac));
  return board;
}

/** One route's own part of the fixture, built on first use, so each route starts from a known state. */
class World {
  private readonly boards = new Map<BoardKind, Promise<Board>>();
  private readonly memo = new Map<string, Promise<unknown>>();
  private counter = 0;
  /** Idempotency keys used in this route's cases, for replays. */
  readonly keys: string[] = [];
  /** The personal link this case sends, and whose it is. */
  link = '';
  linkStaff = '';

  board(kind: BoardKind = 'protocol'): Promise<Board> {
    let board = this.boards.get(kind);
    if (!board) {
      board = buildBoard(kind);
      this.boards.set(kind, board);
    }
    return board;
  }

  /** Replaces what `once` built (a fixture a successful case used up). */
  replace<T>(name: string, value: Promise<T>): void {
    this.memo.set(name, value);
  }

  /** A number that goes up with every call: alternates, unique names. */
  next(): number {
    this.counter += 1;
    return this.counter;
  }

  /** The boards built so far. */
  async builtBoards(): Promise<Array<[BoardKind, Board]>> {
    return Promise.all([...this.boards].map(async ([kind, board]) => [kind, await board] as [BoardKind, Board]));
  }

  once<T>(name: string, build: () => Promise<T>): Promise<T> {
    let value = this.memo.get(name) as Promise<T> | undefined;
    if (!value) {
      value = build();
      this.memo.set(name, value);
    }
    return value;
  }

  /** Something unique per case: an email address nobody has, a title. */
  unique(prefix: string): string {
    return `${prefix}-${this.next()}-${crypto.randomUUID().slice(0, 8)}`;
  }
}

const one = async <T>(sql: string, ...values: unknown[]) =>
  db()
    .prepare(sql)
    .bind(...values)
    .first<T>();

const versionOf = async (table: 'board_cards' | 'board_clusters', id: string) =>
  (await one<{ version: number }>(`SELECT version FROM ${table} WHERE id = ?`, id))?.version ?? 1;

const isDeleted = async (table: 'board_cards' | 'board_comments' | 'board_clusters', id: string) =>
  (await one<{ deletedAt: string | null }>(`SELECT deleted_at AS deletedAt FROM ${table} WHERE id = ?`, id))
    ?.deletedAt != null;

/** Puts a card, comment or cluster back in the state a route's valid case needs. */
async function ensure(
  board: Board,
  what: 'card' | 'comment' | 'cluster',
  id: string,
  state: 'live' | 'deleted',
): Promise<void> {
  const table = ({ card: 'board_cards', comment: 'board_comments', cluster: 'board_clusters' } as const)[what];
  if ((await isDeleted(table, id)) === (state === 'deleted')) return;
  const path = `${boardPath(board.id)}/${what === 'card' ? 'cards' : what === 'comment' ? 'comments' : 'clusters'}/${id}`;
  await ok(state === 'deleted' ? del(path, board.fac) : postJson(`${path}/restore`, {}, {}, board.fac));
}

async function ensureMember(board: Board, person: Person, role: 'member' | 'viewer'): Promise<void> {
  const row = await one<{ role: string }>(
    'SELECT role FROM board_members WHERE board_id = ? AND account_id = ?',
    board.id,
    person.accountId,
  );
  if (row?.role === role) return;
  await ok(postJson(`${boardPath(board.id)}/invitations`, { email: person.email, role }, {}, board.fac), 201);
}

// ── What each route is called with ───────────────────────────────────────────

/** A caller, or how to make one (a fresh session, for routes that end or replace the caller's). */
type Who = Caller | (() => Promise<Caller>);
const throwaway: Who = async () => ({ cookie: (await signedIn([])).cookie });

/** The ids a case fills the path with, by parameter name ("primary" ids: the first real id of each). */
interface Resolved {
  params: Record<string, string>;
}

interface RouteSpec {
  /** Real ids for each path parameter, the one the valid body is for first. */
  params?: Record<string, (w: World) => Promise<string[]>>;
  /** The caller that passes the route's access check; `alt`: others that also may; `wrong`: callers refused. */
  who?: (w: World) => Promise<{ right: Who; alt?: Who[]; wrong?: Who[] }>;
  /** A body the route accepts (2xx) for the primary ids and the right caller; undefined for no body. */
  valid?: (w: World, r: Resolved) => Promise<unknown> | unknown;
  /** Runs before each case, outside the window the database is compared in. */
  prepare?: (w: World) => Promise<void>;
  /** The route takes an Idempotency-Key and personal links. */
  respondent?: boolean;
  /** Bodies to try right after the valid one (sent as the right caller to the primary ids). */
  examples?: unknown[];
  /** More ids (by index into each parameter's real ids) that get the valid case and the sweep too. */
  alsoSweep?: number[][];
}

const P = (p: Person): Caller => ({ cookie: p.cookie });
const campaignIds = async () => [shared.anonymous, shared.identified, shared.closed];

/** A board route's callers: its facilitator; admins and members may too; others are refused. */
const boardWho =
  (kind: BoardKind = 'protocol', facilitatorsOnly = false) =>
  async (w: World) => {
    const b = await w.board(kind);
    return {
      right: P(b.fac),
      alt: [P(shared.admin), ...(facilitatorsOnly ? [] : [P(b.member)])],
      wrong: [
        'nobody' as const,
        P(shared.noRole),
        P(shared.facilitator),
        P(b.viewer),
        ...(facilitatorsOnly ? [P(b.member)] : []),
      ],
    };
  };

/** A board of another template that no route's own principal belongs to, shared by every route. */
let otherBoard: Promise<Board> | undefined;

const boardIds =
  (kind: BoardKind = 'protocol') =>
  async (w: World) => {
    otherBoard ??= buildBoard(kind === 'hexagon' ? 'plan' : 'hexagon');
    return [(await w.board(kind)).id, (await otherBoard).id];
  };

const PROGRESSION_LEVEL = { educators: 'Tries exit tickets', staff: 'Coach observes', students: 'Answer one question' };
const ROSTER_CSV = [
  'staffId,name,email,school,role,careerStage,subject,gradeBand,isCoach,coachFocuses',
  'R1,Rae Roe,rae@district.example,Maple Elementary,classroom-teacher,early-career,math,elementary,no,',
  'R2,Sam Poe,sam@district.example,Ridge Middle School,classroom-teacher,established,science,middle,yes,formative-assessment',
].join('\n');

/**
 * A comment the director may tag: k (5) published answers with comments in the anonymous
 * campaign, whose ids the director's own read gives (that read publishes them).
 */
let taggable: Promise<string> | undefined;
const commentTagParams = {
  id: async () => [shared.anonymous],
  commentId: async () => {
    taggable ??= (async () => {
      for (let i = 0; i < 5; i++) {
        await ok(respond(shared.anonymous, { answers: answers({ comment: `Fuzz comment ${i + 1}` }) }), 201);
      }
      const page = (await (
        await api(`/api/campaigns/${shared.anonymous}/comments`, {}, P(shared.director))
      ).json()) as {
        items: Array<{ id: string }>;
      };
      const first = page.items[0]?.id;
      if (!first) throw new Error('no comment to tag');
      return first;
    })();
    return [await taggable];
  },
  competencyId: async () => ['formative-assessment', 'classroom-management'],
};

/**
 * The valid body (and fixture, callers and ids) of every write route. A route missing here
 * is still fuzzed with defaults, and fails the "reached" check until it gets an entry.
 */
const SPECS: Record<string, RouteSpec> = {
  'POST /api/auth/sign-in-link': {
    who: async () => ({ right: 'nobody', alt: [throwaway] }),
    valid: (w) => ({
      // Every other one to an account that exists (a link is stored and mailed), the rest to addresses nobody has.
      email: w.next() % 2 === 0 ? `${w.unique('signin')}@district.example` : shared.director.email,
      next: '/dashboard/',
    }),
  },
  'POST /api/auth/session': {
    who: async () => ({ right: 'nobody', alt: [throwaway] }),
    prepare: async (w) => {
      const account = await w.once('account', () => signedIn([]));
      const token = newToken();
      const now = new Date();
      await insertSignInLink(db(), {
        tokenHash: await hashToken(token),
        accountId: account.accountId,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + 15 * 60_000).toISOString(),
      });
      w.link = token;
    },
    valid: (w) => ({ token: w.link }),
  },
  'POST /api/auth/sign-out': {
    who: async () => ({ right: throwaway, alt: ['nobody'] }),
    valid: () => ({}),
  },
  'POST /api/accounts': {
    valid: (w) => ({ email: `${w.unique('account')}@district.example`, name: 'New Person', roles: ['director'] }),
  },
  'PATCH /api/accounts/:id': {
    params: {
      id: async (w) => [
        (await w.once('target', () => signedIn(['director']))).accountId,
        (await w.once('other', () => signedIn(['facilitator']))).accountId,
      ],
    },
    valid: () => ({ name: 'Renamed Person', roles: ['director'], disabled: false }),
  },
  'POST /api/roster/preview': { valid: () => ({ csv: ROSTER_CSV }) },
  'POST /api/roster': { valid: () => ({ csv: ROSTER_CSV }) },
  'POST /api/campaigns': {
    valid: () => ({
      surveyId: 'needs-assessment',
      title: 'Fuzzed spring survey',
      mode: 'anonymous',
      minGroupSize: 5,
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    }),
  },
  'POST /api/campaigns/:id/close': {
    params: { id: async (w) => [await w.once('open', () => createCampaign({ title: 'To close' })), shared.closed] },
    // A successful close closes it: the next case gets a new open campaign.
    prepare: async (w) => {
      const id = await w.once('open', () => createCampaign({ title: 'To close' }));
      const row = await one<{ closedAt: string | null }>(
        'SELECT closed_at AS closedAt FROM campaigns WHERE id = ?',
        id,
      );
      if (row?.closedAt) {
        const next = createCampaign({ title: 'To close' });
        await next;
        w.replace('open', next);
      }
    },
    valid: () => ({}),
  },
  'POST /api/campaigns/:id/invitations': {
    params: {
      id: async (w) => [
        await w.once('identified', () => createCampaign({ title: 'Links', mode: 'identified' })),
        shared.anonymous,
        shared.closed,
      ],
    },
    valid: () => ({}),
  },
  'POST /api/campaigns/:id/responses': {
    respondent: true,
    params: { id: async () => [shared.anonymous, shared.identified, shared.closed] },
    // The identified campaign too, answered through a personal link.
    alsoSweep: [[1]],
    who: async () => ({ right: 'nobody', alt: [P(shared.admin), throwaway] }),
    // An unused personal link for this case; more staff and new links when they run out.
    prepare: async (w) => {
      const used = w.link
        ? await one<{ usedAt: string | null }>(
            'SELECT used_at AS usedAt FROM invitations WHERE token_hash = ?',
            await hashToken(w.link),
          )
        : null;
      if (w.link && used && used.usedAt === null) return;
      if (shared.links.size === 0) {
        const start = 100 + ((await one<{ n: number }>('SELECT COUNT(*) AS n FROM staff'))?.n ?? 0);
        await upsertStaff(
          db(),
          Array.from({ length: 10 }, (_, i) => ({
            staffId: `T${start + i}`,
            name: `Teacher ${start + i}`,
            email: null,
            schoolId: 'ridge-middle',
            role: 'classroom-teacher',
            careerStage: 'established',
            subject: 'math',
            gradeBand: 'middle',
            isCoach: false,
            coachFocuses: [],
          })),
        );
        await reissueLinks();
        for (const staffId of ['T1', 'T2', 'T3', 'T4', 'T5', 'T6']) shared.links.delete(staffId);
      }
      const [staffId, link] = [...shared.links][0] ?? ['', ''];
      shared.links.delete(staffId);
      w.link = link;
      w.linkStaff = staffId;
    },
    valid: (w, r) =>
      r.params.id === shared.identified
        ? {
            answers: answers({
              pilotWilling: true,
              contactConsent: true,
              peerNominations: [w.linkStaff === 'T12' ? 'T1' : 'T12'],
            }),
          }
        : { answers: answers() },
  },
  'POST /api/campaigns/:id/focuses': {
    params: { id: campaignIds },
    // Reading publishes pending responses: keep a batch that can be published pending (five with
    // the same answers: every group they are in gains k), so a refusal that comes after publishing shows.
    prepare: async () => {
      const row = await one<{ n: number }>(
        'SELECT COUNT(*) AS n FROM responses WHERE campaign_id = ? AND published_step IS NULL AND answers = ?',
        shared.anonymous,
        JSON.stringify(answers()),
      );
      for (let i = row?.n ?? 0; i < 5; i++) await ok(respond(shared.anonymous, { answers: answers() }), 201);
    },
    valid: () => ({ weights: { mwds: 0.5, breadth: 0.2, interest: 0.2, evidenceGap: 0.1 }, by: 'school' }),
    // All the weight on the evidence gap of a campaign without evidence: refused after the figures are read.
    examples: [{ weights: { evidenceGap: 1 } }],
  },
  'PUT /api/campaigns/:id/comments/:commentId/tags/:competencyId': {
    params: commentTagParams,
    valid: () => ({}),
  },
  'DELETE /api/campaigns/:id/comments/:commentId/tags/:competencyId': { params: commentTagParams },
  'POST /api/campaigns/:id/evidence': {
    params: { id: campaignIds },
    valid: () => ({
      scaleMin: 1,
      scaleMax: 4,
      csv: 'competencyId,school,score\nformative-assessment,maple-elementary,3\nclassroom-management,ridge-middle,2',
    }),
  },
  'POST /api/campaigns/:id/pilot-groups/proposal': {
    params: { id: async () => [shared.identified, shared.anonymous] },
    valid: () => ({ focuses: ['formative-assessment'], minSize: 1, maxSize: 10, maxPerSchool: 3, coachCapacity: 8 }),
  },
  'POST /api/campaigns/:id/pilot-groups': {
    params: { id: async () => [shared.identified, shared.anonymous] },
    valid: () => ({
      options: { minSize: 1, maxSize: 10, maxPerSchool: 3, coachCapacity: 8 },
      groups: [
        {
          competencyId: 'formative-assessment',
          members: ['T1', 'T2'],
          champion: 'T1',
          coaches: [{ staffId: 'T12', supports: 2 }],
        },
      ],
    }),
  },
  'POST /api/boards': {
    who: async () => ({
      right: P(shared.facilitator),
      alt: [P(shared.director), P(shared.admin)],
      wrong: ['nobody', P(shared.noRole)],
    }),
    valid: () => ({
      campaignId: shared.anonymous,
      title: 'Fuzz board',
      template: 'protocol',
      anonymous: false,
      voteBudget: 5,
      votesPerCard: null,
    }),
  },
  'POST /api/boards/join': {
    who: async () => ({ right: 'nobody', wrong: [throwaway] }),
    // A new colleague's join link (its invitation made the account, so it signs them in).
    prepare: async (w) => {
      const board = await w.board();
      const token = newToken();
      const accountId = crypto.randomUUID();
      const at = new Date();
      await db().batch([
        ...insertAccountStatements(db(), {
          id: accountId,
          email: `${w.unique('joiner')}@district.example`,
          name: 'Joiner',
          roles: [],
          createdAt: at.toISOString(),
        }),
        ...inviteStatements(db(), {
          boardId: board.id,
          accountId,
          role: 'member',
          tokenHash: await hashToken(token),
          signsIn: true,
          at,
          hours: 72,
        }),
      ]);
      w.link = token;
    },
    valid: (w) => ({ token: w.link }),
  },
  'PATCH /api/boards/:id': {
    who: boardWho('protocol', true),
    valid: async (w) => {
      const b = await w.board();
      const row = await one<{ v: number }>('SELECT settings_version AS v FROM boards WHERE id = ?', b.id);
      return {
        settingsVersion: row?.v ?? 1,
        title: 'Renamed board',
        locked: false,
        voteBudget: 50,
        votesPerCard: null,
        votesRevealed: false,
        phase: 1,
        timerSeconds: 300,
      };
    },
  },
  'POST /api/boards/:id/invitations': {
    who: boardWho('protocol', true),
    valid: (w) => ({ email: `${w.unique('invitee')}@district.example`, name: 'New Colleague', role: 'member' }),
  },
  'PATCH /api/boards/:id/members/:accountId': {
    who: boardWho('protocol', true),
    prepare: async (w) => {
      const b = await w.board();
      await ensureMember(b, b.member, 'member');
    },
    valid: () => ({ role: 'viewer' }),
  },
  'DELETE /api/boards/:id/members/:accountId': {
    who: boardWho('protocol', true),
    prepare: async (w) => {
      const b = await w.board();
      await ensureMember(b, b.member, 'member');
      await ensureMember(b, b.viewer, 'viewer');
    },
  },
  'PUT /api/boards/:id/presence': { valid: () => ({}) },
  'DELETE /api/boards/:id/presence': {},
  'POST /api/boards/:id/cards': {
    valid: () => ({ column: 'working', text: 'Fuzz card', tags: ['formative-assessment'] }),
  },
  'PATCH /api/boards/:id/cards/:cardId': {
    valid: async (w) => {
      const b = await w.board();
      return {
        version: await versionOf('board_cards', b.card),
        text: 'Edited text',
        tags: ['formative-assessment'],
        column: 'ideas',
        position: 0,
        clusterId: b.cluster,
        status: 'visible',
      };
    },
  },
  'DELETE /api/boards/:id/cards/:cardId': {
    prepare: async (w) => {
      const b = await w.board();
      await ensure(b, 'card', b.card, 'live');
    },
  },
  'POST /api/boards/:id/cards/:cardId/restore': {
    params: {
      id: boardIds(),
      cardId: async (w) => [(await w.board()).deletedCard, (await w.board()).card],
    },
    prepare: async (w) => {
      const b = await w.board();
      await ensure(b, 'card', b.deletedCard, 'deleted');
    },
    valid: () => ({}),
  },
  'POST /api/boards/:id/cards/:cardId/comments': { valid: () => ({ text: 'A fuzzed comment' }) },
  'DELETE /api/boards/:id/comments/:commentId': {
    prepare: async (w) => {
      const b = await w.board();
      await ensure(b, 'comment', b.comment, 'live');
    },
  },
  'POST /api/boards/:id/comments/:commentId/restore': {
    params: {
      id: boardIds(),
      commentId: async (w) => [(await w.board()).deletedComment, (await w.board()).comment],
    },
    prepare: async (w) => {
      const b = await w.board();
      await ensure(b, 'comment', b.deletedComment, 'deleted');
    },
    valid: () => ({}),
  },
  'POST /api/boards/:id/cards/:cardId/votes': { valid: () => ({}) },
  'DELETE /api/boards/:id/cards/:cardId/votes': {
    prepare: async (w) => {
      const b = await w.board();
      const dots = await one<{ n: number }>(
        'SELECT COUNT(*) AS n FROM board_votes WHERE card_id = ? AND account_id = ?',
        b.card,
        b.fac.accountId,
      );
      if (!dots?.n) await ok(postJson(`${boardPath(b.id)}/cards/${b.card}/votes`, {}, {}, b.fac));
    },
  },
  'POST /api/boards/:id/clusters': {
    valid: async (w) => ({ name: 'A fuzzed theme', cardIds: [(await w.board()).card] }),
  },
  'PATCH /api/boards/:id/clusters/:clusterId': {
    valid: async (w) => ({ version: await versionOf('board_clusters', (await w.board()).cluster), name: 'Renamed' }),
  },
  'DELETE /api/boards/:id/clusters/:clusterId': {
    prepare: async (w) => {
      const b = await w.board();
      await ensure(b, 'cluster', b.cluster, 'live');
    },
  },
  'POST /api/boards/:id/clusters/:clusterId/restore': {
    params: {
      id: boardIds(),
      clusterId: async (w) => [(await w.board()).deletedCluster, (await w.board()).cluster],
    },
    prepare: async (w) => {
      const b = await w.board();
      await ensure(b, 'cluster', b.deletedCluster, 'deleted');
    },
    valid: () => ({}),
  },
  'PUT /api/boards/:id/ratings': {
    who: boardWho('hexagon'),
    params: { id: boardIds('hexagon') },
    valid: async (w) => ({
      cardId: (await w.board('hexagon')).card,
      indicator: hexagonIndicators[0]?.id ?? 'need',
      score: 3,
      note: 'Fits our PLC time',
    }),
  },
  'PUT /api/boards/:id/plans/:competencyId': {
    who: boardWho('plan'),
    params: {
      id: boardIds('plan'),
      competencyId: async () => ['formative-assessment', 'classroom-management', 'ai-literacy'],
    },
    valid: async (w, r) => {
      const b = await w.board('plan');
      const row = await one<{ v: number }>(
        'SELECT version AS v FROM board_plans WHERE board_id = ? AND competency_id = ?',
        b.id,
        r.params.competencyId ?? '',
      );
      return {
        version: row?.v ?? 0,
        progression: Array.from({ length: 5 }, () => PROGRESSION_LEVEL),
        strategies: ['coaching', 'peer-observation'],
        timeline: [{ when: 'October', what: 'First cycle of exit tickets' }],
        successMeasures: ['Exit tickets used weekly by 80% of the team'],
        feedback: ['relevance', 'recommend'],
      };
    },
  },
};

/** Real ids for a parameter the route's spec does not name, by the parameter's name. */
async function defaultIds(route: WriteRoute, name: string, w: World): Promise<string[]> {
  if (name === 'id' && route.path.startsWith('/api/accounts')) {
    return [(await w.once('target', () => signedIn(['director']))).accountId];
  }
  if (name === 'id' && route.path.startsWith('/api/campaigns')) return campaignIds();
  if (name === 'id' && route.path.startsWith('/api/boards')) return boardIds()(w);
  const b = await w.board();
  switch (name) {
    case 'cardId':
      return [b.card, b.deletedCard];
    case 'commentId':
      return [b.comment, b.deletedComment];
    case 'clusterId':
      return [b.cluster, b.deletedCluster];
    case 'accountId':
      return [b.member.accountId, b.viewer.accountId, b.fac.accountId, shared.noRole.accountId];
    case 'competencyId':
      return ['formative-assessment', 'ai-literacy'];
    default:
      return [crypto.randomUUID()];
  }
}

/** Callers for a route the spec does not name them for, from its declared audience. */
async function defaultWho(route: WriteRoute, w: World): Promise<{ right: Who; alt?: Who[]; wrong?: Who[] }> {
  const audience = route.audience;
  if (audience.includes('public') || audience.includes('respondent')) return { right: 'nobody', alt: [throwaway] };
  if (audience.includes('account')) {
    if (route.path.startsWith('/api/boards/:id')) return boardWho()(w);
    return { right: throwaway, wrong: ['nobody'] };
  }
  const people = { admin: shared.admin, director: shared.director, facilitator: shared.facilitator };
  const allowed = ROLES.filter((role) => audience.includes(role));
  // The least privileged allowed role calls; admins (and others allowed) sometimes; the rest are refused.
  const ordered = [...allowed].sort((a, b) => (a === 'admin' ? 1 : 0) - (b === 'admin' ? 1 : 0));
  const [first = 'admin', ...others] = ordered;
  return {
    right: P(people[first]),
    alt: others.map((role) => P(people[role])),
    wrong: ['nobody', P(shared.noRole), ...ROLES.filter((role) => !allowed.includes(role)).map((r) => P(people[r]))],
  };
}

// ── The database, before and after ───────────────────────────────────────────

let fingerprintSql = '';

/**
 * Test-only triggers on every user table (not sqlite_*, d1_*, _cf_* tables) that count the
 * rows inserted, updated and deleted: an exact record of any write, however small.
 */
async function installWriteCounters(): Promise<void> {
  const { results } = await db()
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table'
       AND name NOT GLOB 'sqlite_*' AND name NOT GLOB 'd1_*' AND name NOT GLOB '_cf_*' AND name <> 'fuzz_writes'
       ORDER BY name`,
    )
    .all<{ name: string }>();
  const tables = results.map((row) => row.name);
  const statements = [
    db().prepare(
      'CREATE TABLE IF NOT EXISTS fuzz_writes (tbl TEXT NOT NULL, op TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tbl, op))',
    ),
  ];
  for (const table of tables) {
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      statements.push(
        db().prepare('INSERT OR IGNORE INTO fuzz_writes (tbl, op) VALUES (?, ?)').bind(table, op.toLowerCase()),
        db().prepare(
          `CREATE TRIGGER IF NOT EXISTS "fuzz_${table}_${op.toLowerCase()}" AFTER ${op} ON "${table}"
           BEGIN UPDATE fuzz_writes SET n = n + 1 WHERE tbl = '${table}' AND op = '${op.toLowerCase()}'; END`,
        ),
      );
    }
  }
  await db().batch(statements);
  // One row, one column per table (D1 refuses long compound SELECTs).
  fingerprintSql = `SELECT ${[
    `(SELECT COALESCE(group_concat(tbl || '.' || op || '=' || n, ' '), '') FROM fuzz_writes WHERE n > 0) AS "writes"`,
    ...tables.map(
      (table) => `(SELECT COUNT(*) || ' rows, max rowid ' || COALESCE(MAX(rowid), 0) FROM "${table}") AS "${table}"`,
    ),
  ].join(', ')}`;
}

async function fingerprint(): Promise<Map<string, string>> {
  const row = await db().prepare(fingerprintSql).first<Record<string, string>>();
  return new Map(Object.entries(row ?? {}));
}

/** What changed between two fingerprints: rows written per table and operation (+n), and row counts. */
function differences(before: Map<string, string>, after: Map<string, string>): string[] {
  const counters = (text = '') =>
    new Map(
      text
        .split(' ')
        .filter(Boolean)
        .map((pair) => pair.split('=') as [string, string]),
    );
  const [was, now] = [counters(before.get('writes')), counters(after.get('writes'))];
  const changed = [...now]
    .filter(([name, n]) => was.get(name) !== n)
    .map(([name, n]) => `${name} +${Number(n) - Number(was.get(name) ?? 0)}`);
  for (const [key, value] of after) {
    if (key !== 'writes' && before.get(key) !== value) changed.push(`${key}: ${before.get(key)} → ${value}`);
  }
  return changed;
}

// ── One case ─────────────────────────────────────────────────────────────────

interface Case {
  who: { right: true } | { alt: number } | { wrong: number };
  params: ParamChoice[];
  body: BodyChoice;
  transport: Transport;
}

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  who: fc.oneof(
    { arbitrary: fc.constant({ right: true as const }), weight: 7 },
    { arbitrary: fc.nat({ max: 9 }).map((alt) => ({ alt })), weight: 1 },
    { arbitrary: fc.nat({ max: 9 }).map((wrong) => ({ wrong })), weight: 2 },
  ),
  params: fc.array(paramChoice, { minLength: 3, maxLength: 3 }),
  body: bodyChoice,
  transport,
});

/** The case a route's valid body is for: the right caller, the primary ids, sent as it should be. */
const VALID_CASE: Case = {
  who: { right: true },
  params: [{ real: 0 }, { real: 0 }, { real: 0 }],
  body: { kind: 'valid' },
  transport: {
    contentType: 'json',
    text: 'json',
    key: 'fresh',
    link: 'right',
    crossSite: 'no',
    address: 1,
  },
};

interface Tally {
  cases: number;
  statuses: Map<number, number>;
  /** 2xx answers. */
  accepted: number;
  /** Refusals by the route itself: not the access check, the transport or a bad path. */
  ownRefusals: number;
}

const FRONT_DOOR_CODES = new Set([
  'SIGNED_OUT',
  'FORBIDDEN',
  'NOT_A_MEMBER',
  'READ_ONLY',
  'FACILITATORS_ONLY',
  'RATE_LIMITED',
  'CROSS_SITE',
  'UNSUPPORTED_CONTENT_TYPE',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'NOT_FOUND',
]);

const workerErrors: string[] = [];

/** Who a caller is, as a failure message names them. */
async function callerName(who: Who, w: World): Promise<string> {
  if (who === 'nobody') return 'nobody';
  if (typeof who === 'function') return 'a fresh session of an account without roles';
  const cookie = typeof who === 'object' && 'cookie' in who ? who.cookie : '';
  const known: Array<[string, Person]> = [
    ['admin', shared.admin],
    ['director', shared.director],
    ['district facilitator, not on the board', shared.facilitator],
    ['account without roles', shared.noRole],
  ];
  for (const [kind, board] of await w.builtBoards()) {
    known.push(
      [`${kind} board's facilitator`, board.fac],
      [`${kind} board's member`, board.member],
      [`${kind} board's viewer`, board.viewer],
    );
  }
  return known.find(([, person]) => person.cookie === cookie)?.[0] ?? 'another account';
}

async function runCase(route: WriteRoute, spec: RouteSpec, w: World, input: Case, tally: Tally): Promise<void> {
  await spec.prepare?.(w);
  const roles = await (spec.who ?? ((world: World) => defaultWho(route, world)))(w);
  const alt = roles.alt ?? [];
  const wrong = roles.wrong ?? [];
  const chosen: Who =
    'alt' in input.who && alt.length > 0
      ? (alt[input.who.alt % alt.length] as Who)
      : 'wrong' in input.who && wrong.length > 0
        ? (wrong[input.who.wrong % wrong.length] as Who)
        : roles.right;
  const as = typeof chosen === 'function' ? await chosen() : chosen;

  const resolved: Resolved = { params: {} };
  const inUrls: Record<string, string> = {};
  for (const [index, name] of route.params.entries()) {
    const choice = input.params[index] ?? { real: 0 };
    const ids = await (spec.params?.[name] ?? ((world: World) => defaultIds(route, name, world)))(w);
    let value: string;
    let inUrl: string;
    if ('real' in choice) {
      value = ids[choice.real % ids.length] ?? '';
      inUrl = encodeURIComponent(value);
    } else {
      value = choice.hostile;
      inUrl = choice.raw ? value : encodeURIComponent(value);
    }
    resolved.params[name] = value;
    inUrls[name] = inUrl;
  }
  // One pass, with a function: a hostile id may hold `$&` or another parameter's name.
  const path = route.path.replace(/:(\w+)/g, (_, name: string) => inUrls[name] ?? '');

  const valid = spec.valid ? await spec.valid(w, resolved) : route.method === 'DELETE' ? undefined : {};
  const body =
    input.body.kind === 'valid'
      ? valid
      : input.body.kind === 'mutated'
        ? mutate(valid, input.body.mutations)
        : input.body.kind === 'json'
          ? input.body.value
          : undefined;
  const t = input.transport;
  const headers: Record<string, string> = {};
  const contentType = CONTENT_TYPES[t.contentType];
  if (contentType && route.method !== 'DELETE') headers['Content-Type'] = contentType;
  const n = (ADDRESS_BASE + ((t.address === 'shared' ? 0 : t.address) % 0x00ffffff) + tally.cases) >>> 0;
  headers['CF-Connecting-IP'] =
    t.address === 'shared' ? '198.51.100.7' : `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  if (t.crossSite === 'origin') headers.Origin = 'https://evil.example';
  if (t.crossSite === 'fetch-site') headers['Sec-Fetch-Site'] = 'cross-site';
  if (t.crossSite === 'same-origin')
    Object.assign(headers, { Origin: 'http://homegrown.test', 'Sec-Fetch-Site': 'same-origin' });
  if (spec.respondent) {
    const fresh = crypto.randomUUID();
    const key =
      t.key === 'fresh'
        ? fresh
        : t.key === 'upper'
          ? fresh.toUpperCase()
          : t.key === 'not-a-uuid'
            ? 'not-a-uuid'
            : t.key === 'reused'
              ? (w.keys[0] ?? fresh)
              : null;
    if (key) {
      headers['Idempotency-Key'] = key;
      if (key === fresh) w.keys.unshift(fresh);
      w.keys.length = Math.min(w.keys.length, 5);
    }
    const link =
      t.link === 'right'
        ? resolved.params.id === shared.identified
          ? `Bearer ${w.link}`
          : null
        : t.link === 'garbage'
          ? `Bearer ${'A'.repeat(43)}`
          : t.link === 'not-bearer'
            ? `Basic ${btoa('a:b')}`
            : t.link === 'used'
              ? `Bearer ${shared.usedLink}`
              : null;
    if (link) headers.Authorization = link;
  }
  // No body for `none` (and a DELETE's valid case), unless the transport pads or garbles it.
  const text = bodyText(body, t.text);
  const request: SentRequest = {
    route: route.key,
    method: route.method,
    path,
    as: await callerName(chosen, w),
    headers,
    body: text,
  };

  workerErrors.length = 0;
  const before = await fingerprint();
  const res = await api(path, { method: route.method, headers, body: text }, as);
  const answer = await res.text();
  tally.cases += 1;
  tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
  const shown = () =>
    `${JSON.stringify({ ...request, body: text && text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} chars)` : text }, null, 1)}\nanswer: ${answer.slice(0, 500)}${workerErrors.length ? `\nworker logged: ${workerErrors.join('\n').slice(0, 1500)}` : ''}`;

  const known = (kind: '5xx' | 'stored on refusal') =>
    KNOWN_BUGS.some((entry) => entry.kind === kind && entry.route === route.key && entry.matches(request));
  if (res.status >= 500 && !known('5xx')) throw new Error(`${res.status} from ${route.key}:\n${shown()}`);
  if (res.status >= 400) {
    const changed = differences(before, await fingerprint());
    if (changed.length > 0 && !known('stored on refusal')) {
      throw new Error(`refused with ${res.status} but stored something (${changed.join('; ')}):\n${shown()}`);
    }
  }
  if (res.status >= 400 && res.status < 500) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer);
    } catch {
      throw new Error(`${res.status} whose body is not JSON:\n${shown()}`);
    }
    const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
      throw new Error(`${res.status} not shaped { error: { code, message } }:\n${shown()}`);
    }
    if (!FRONT_DOOR_CODES.has(error.code)) {
      tally.ownRefusals += 1;
    }
  }
  if (res.status >= 200 && res.status < 300) tally.accepted += 1;
}

/**
 * The cases every route gets before the random ones, as the right caller, sent as it should
 * be: the valid case, the spec's examples, and the sweep of single mutations of the valid
 * body; for the primary ids, and again for each set of ids in `alsoSweep`.
 */
async function examplesOf(route: WriteRoute, spec: RouteSpec, w: World): Promise<Array<[Case]>> {
  const cases: Array<[Case]> = [];
  for (const [index, at] of [[], ...(spec.alsoSweep ?? [])].entries()) {
    const choices: ParamChoice[] = route.params.map((_, i) => ({ real: at[i] ?? 0 }));
    const base: Case = { ...VALID_CASE, params: [...choices, { real: 0 }, { real: 0 }, { real: 0 }].slice(0, 3) };
    cases.push([base]);
    if (index === 0) {
      for (const value of spec.examples ?? []) cases.push([{ ...base, body: { kind: 'json', value } }]);
    }
    if (!spec.valid) continue;
    // The valid body these ids get, to count its fields (the sweep's cases name fields by number).
    await spec.prepare?.(w);
    const resolved: Resolved = { params: {} };
    for (const [i, name] of route.params.entries()) {
      const ids = await (spec.params?.[name] ?? ((world: World) => defaultIds(route, name, world)))(w);
      resolved.params[name] = ids[(at[i] ?? 0) % ids.length] ?? '';
    }
    for (const mutations of sweep(await spec.valid(w, resolved))) {
      cases.push([{ ...base, body: { kind: 'mutated', mutations } }]);
    }
  }
  return cases;
}

// ── The tests ────────────────────────────────────────────────────────────────

const seedOf = (key: string) => [...key].reduce((hash, char) => (Math.imul(hash, 31) + char.charCodeAt(0)) | 0, SEED);

beforeAll(async () => {
  // The outbox mailer prints every mail, and the error handler logs each 500: keep the
  // run quiet, and keep what the worker logged for the failure message.
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    workerErrors.push(args.map((arg) => (arg instanceof Error ? (arg.stack ?? arg.message) : String(arg))).join(' '));
  });
  shared = await buildShared();
  await installWriteCounters();
}, 60_000);

afterAll(() => {
  vi.restoreAllMocks();
});

describe('the fuzzed routes', () => {
  it('are every write route under /api, and every spec names one of them', () => {
    expect(writeRoutes.length).toBeGreaterThan(30);
    const keys = new Set(writeRoutes.map((route) => route.key));
    expect(Object.keys(SPECS).filter((key) => !keys.has(key))).toEqual([]);
    expect(KNOWN_BUGS.filter((entry) => !keys.has(entry.route))).toEqual([]);
  });
});

describe.each(writeRoutes)('$key', (route) => {
  it('never answers 5xx, refuses in the error shape, and stores nothing when it refuses', async () => {
    const spec = SPECS[route.key] ?? {};
    const w = new World();
    const tally: Tally = { cases: 0, statuses: new Map(), accepted: 0, ownRefusals: 0 };
    // First the valid case, the examples and every single mutation of the valid body, then random cases.
    const examples = await examplesOf(route, spec, w);
    await fc.assert(
      fc.asyncProperty(caseArbitrary, (input) => runCase(route, spec, w, input, tally)),
      { seed: seedOf(route.key), numRuns: examples.length + NUM_RUNS, examples },
    );
    const statuses = [...tally.statuses].map(([status, n]) => `${status}×${n}`).join(' ');
    expect(
      tally.accepted,
      `${route.key} never answered 2xx (${statuses}): give it a valid body in SPECS`,
    ).toBeGreaterThan(0);
    expect(
      tally.ownRefusals,
      `${route.key} never refused a case for a reason of its own (${statuses}): its cases stop at the front door`,
    ).toBeGreaterThan(0);
  }, 60_000);
});

describe('the database fingerprint', () => {
  it('sees a write that changes no row count, and not a read', async () => {
    const before = await fingerprint();
    await api('/api/framework');
    expect(differences(before, await fingerprint())).toEqual([]);
    await db().prepare('UPDATE accounts SET name = name WHERE id = ?').bind(shared.noRole.accountId).run();
    expect(differences(before, await fingerprint())).toEqual(['accounts.update +1']);
  });
});

/**
 * Rate-limit state lives in the rate-limiting binding, not in D1, so the fingerprint cannot
 * see it: here each limited write route is refused `limit` times from one address, then
 * sent a request it would take, which answers 429 exactly when the refusals were counted.
 * A refused request should not count, except where this table says it does and why.
 */
const RATE_LIMIT_PROBES: Array<{
  name: string;
  limit: number;
  refused: () => Promise<Response>;
  refusedStatus: number;
  accepted: () => Promise<Response>;
  /** Whether the refusals count against the limit, and why that is right (or what the lead should decide). */
  counted: false | string;
}> = [
  {
    name: 'POST /api/auth/sign-in-link refused as not an email (422)',
    limit: 30,
    refused: () => fromProbe('/api/auth/sign-in-link', { email: 'not an email' }),
    refusedStatus: 422,
    accepted: () => fromProbe('/api/auth/sign-in-link', { email: 'probe@district.example' }),
    counted: false,
  },
  {
    name: 'POST /api/auth/sign-in-link refused by the per-address limit (429), then another address',
    limit: 30,
    refused: () => fromProbe('/api/auth/sign-in-link', { email: 'same-address@district.example' }),
    refusedStatus: 429,
    accepted: () => fromProbe('/api/auth/sign-in-link', { email: 'another-address@district.example' }),
    counted:
      'by design of two limiters: the per-caller limit is taken before the per-address one refuses (the first 5 are 202)',
  },
  {
    name: 'POST /api/auth/session refused as not a token (422)',
    limit: 30,
    refused: () => fromProbe('/api/auth/session', { token: 5 }),
    refusedStatus: 422,
    accepted: () => fromProbe('/api/auth/session', { token: 'A'.repeat(43) }),
    counted: false,
  },
  {
    name: 'POST /api/auth/session refused as a wrong sign-in token (401)',
    limit: 30,
    refused: () => fromProbe('/api/auth/session', { token: 'A'.repeat(43) }),
    refusedStatus: 401,
    accepted: async () => {
      const account = await signedIn([]);
      const token = newToken();
      const now = new Date();
      await insertSignInLink(db(), {
        tokenHash: await hashToken(token),
        accountId: account.accountId,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + 15 * 60_000).toISOString(),
      });
      return fromProbe('/api/auth/session', { token });
    },
    counted: 'by design: a wrong token is a guess, and guesses are what the limit is for',
  },
  {
    name: 'POST /api/campaigns/:id/responses refused as not { answers } (422)',
    limit: 120,
    refused: () => fromProbe(`/api/campaigns/${shared.anonymous}/responses`, { nope: 1 }, true),
    refusedStatus: 422,
    accepted: () => fromProbe(`/api/campaigns/${shared.anonymous}/responses`, { answers: answers() }, true),
    counted: false,
  },
  {
    name: 'POST /api/campaigns/:id/responses refused for its answers (422 REQUIRED)',
    limit: 120,
    refused: () => fromProbe(`/api/campaigns/${shared.anonymous}/responses`, { answers: {} }, true),
    refusedStatus: 422,
    accepted: () => fromProbe(`/api/campaigns/${shared.anonymous}/responses`, { answers: answers() }, true),
    counted:
      'the limit is taken before the answers are checked; not stated as intended anywhere (for the lead to decide)',
  },
];

let probeAddress = '';
function fromProbe(path: string, body: unknown, respondent = false) {
  return postJson(
    path,
    body,
    { 'CF-Connecting-IP': probeAddress, ...(respondent ? { 'Idempotency-Key': crypto.randomUUID() } : {}) },
    'nobody',
  );
}

describe('refusals and the rate limits', () => {
  it.each(RATE_LIMIT_PROBES.map((probe, index) => ({ ...probe, index })))(
    '$name',
    ({ index, limit, refused, refusedStatus, accepted, counted }) =>
      // A probe that straddles the turn of a minute starts again, from a new address.
      withinOneMinute(async (attempt) => {
        probeAddress = `192.0.${2 + attempt}.${index + 1}`;
        const statuses = new Set<number>();
        for (let i = 0; i < limit; i++) statuses.add((await refused()).status);
        const after = await accepted();
        expect([...statuses].filter((status) => status !== refusedStatus && status !== 202)).toEqual([]);
        expect(after.status === 429 ? 'counted' : 'not counted').toBe(counted ? 'counted' : 'not counted');
      }),
    30_000,
  );
});
