/**
 * The boards live-update benchmark (a measurement, not a CI test): `npx tsx bench/boards.ts`
 * from the project root. See the "Co-design boards" section of bench/README.md.
 *
 * In one run it
 * 1. copies what the Worker is built from into a fresh temporary folder (so edits made
 *    meanwhile cannot reload the server), applies the D1 migrations there, and stores a
 *    campaign and a facilitator's account with one `wrangler d1 execute`;
 * 2. serves that copy with `wrangler dev` on 127.0.0.1:8791 with the local outbox on;
 * 3. signs the facilitator in the way a person does (sign-in link, the outbox, the session
 *    route), creates a protocol board, invites 30 members, and each joins with its link;
 * 4. for 60 s, each member makes one change a second (add a card, edit one of its own,
 *    move any card, or place a dot) while polling the board every second as the browser
 *    does, and every acknowledged change is timed until every other member holds it;
 * 5. reveals the votes, reads the final board and checks that it is exactly what the
 *    acknowledged changes imply; prints PASS or FAIL (exit 1 on FAIL) and writes the
 *    tables to bench/boards-results.md.
 * wrangler is always stopped and the folder removed, on errors and on Ctrl+C too. Only
 * 127.0.0.1 is contacted.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BoardState, CardView } from '../worker/src/domain/boards';
import { mulberry32 } from '../worker/src/domain/random';
import * as dev from './dev-server';

/** Not 8787 (`npm start`), 8797 (bench/run.ts) or 8799 (the browser tests). */
const PORT = Number(process.env.BENCH_BOARDS_PORT ?? 8791);
const ORIGIN = `http://127.0.0.1:${PORT}`;
/** The issue's scenario; the environment may shrink it for a quick try, and the report says so. */
const MEMBERS = Number(process.env.BENCH_BOARDS_MEMBERS ?? 30);
const DURATION_MS = Number(process.env.BENCH_BOARDS_SECONDS ?? 60) * 1000;
const CHANGE_EVERY_MS = 1000;
/** As the browser polls (site/src/lib/board.svelte.ts POLL_MS): the next poll 1 s after the last one answered. */
const POLL_MS = 1000;
/** After the last change, how long every member may take to catch up before a change counts as unseen. */
const DRAIN_MS = 10_000;
/** A member that falls this far behind its schedule stops (keeps the run bounded if the server crawls). */
const HARD_STOP_MS = 2 * DURATION_MS;
const REQUEST_TIMEOUT_MS = 15_000;
/** Tries of one edit or move after a 409 before giving up on it. */
const MAX_RETRIES = 5;
/** Enough dots that members vote now and then all minute (about 6 votes each). */
const VOTE_BUDGET = 10;
const SEED = 20261123;
/** The mix of changes: cumulative shares (add 55%, edit 20%, move 15%, vote 10%). */
const MIX = { add: 0.55, edit: 0.75, move: 0.9 } as const;

const CAMPAIGN_ID = 'bench-boards';
const FACILITATOR = 'bench-facilitator@district.example';
const memberEmail = (i: number) => `bench-member-${String(i + 1).padStart(2, '0')}@district.example`;
/** Each person sends from an address of their own, as from their own device: sign-in and joins are rate-limited per caller. */
const memberAddress = (i: number) => `10.91.${(i >> 8) & 255}.${(i & 255) + 1}`;
const FACILITATOR_ADDRESS = '10.92.0.1';

// ---------------------------------------------------------------------------------------
// 1. The server and its data

const sqlText = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * The campaign a board is built on, and the facilitator who builds it: rows a district's
 * admin would have made, written straight into the local database before the server starts.
 */
async function seed(folder: dev.BenchFolder): Promise<void> {
  const now = sqlText(new Date().toISOString());
  const sql = `INSERT INTO campaigns (id, survey_id, title, mode, min_group_size, closes_at, created_at)
VALUES (${sqlText(CAMPAIGN_ID)}, 'needs-assessment', 'Benchmark: boards', 'anonymous', 5, NULL, ${now});
INSERT INTO accounts (id, email, name, created_at) VALUES (${sqlText(randomUUID())}, ${sqlText(FACILITATOR)}, 'Benchmark facilitator', ${now});
INSERT INTO account_roles (account_id, role) SELECT id, 'facilitator' FROM accounts WHERE email = ${sqlText(FACILITATOR)};
`;
  const file = join(folder.dir, 'seed.sql');
  writeFileSync(file, sql);
  await dev.run(
    'wrangler',
    ['d1', 'execute', 'DB', '--local', '--persist-to', folder.state, '--file', file, '--yes'],
    folder.app,
  );
}

// ---------------------------------------------------------------------------------------
// 2. Requests, and what every answer was

type Purpose = 'setup' | 'poll' | 'write' | 'check';

interface Tally {
  requests: number;
  statuses: Map<number, number>;
  networkErrors: number;
  /** The first answer ≥ 500 or network error, for the report. */
  firstProblem: string | null;
  /** Time to the last byte of each answer (ms), and its size in bytes. */
  times: number[];
  bytes: number[];
}

const newTally = (): Tally => ({
  requests: 0,
  statuses: new Map(),
  networkErrors: 0,
  firstProblem: null,
  times: [],
  bytes: [],
});
const tallies: Record<Purpose, Tally> = { setup: newTally(), poll: newTally(), write: newTally(), check: newTally() };
/** When each poll answered and how long it took, to see poll time grow as the board fills up. */
const pollLog: Array<{ at: number; ms: number }> = [];

interface Answer {
  status: number;
  body: unknown;
  text: string;
  setCookie: string[];
  at: number;
}

interface Caller {
  cookie?: string;
  address: string;
}

async function call(
  purpose: Purpose,
  method: string,
  path: string,
  caller: Caller,
  body?: unknown,
): Promise<Answer | null> {
  const tally = tallies[purpose];
  tally.requests++;
  const headers: Record<string, string> = { Accept: 'application/json', 'CF-Connecting-IP': caller.address };
  if (caller.cookie) headers.Cookie = caller.cookie;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const begin = performance.now();
  try {
    const response = await fetch(`${ORIGIN}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    const at = performance.now();
    tally.times.push(at - begin);
    if (purpose === 'poll') pollLog.push({ at, ms: at - begin });
    tally.bytes.push(Buffer.byteLength(text));
    tally.statuses.set(response.status, (tally.statuses.get(response.status) ?? 0) + 1);
    if (response.status >= 500) tally.firstProblem ??= `${method} ${path}: ${response.status} ${text.slice(0, 300)}`;
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, body: parsed, text, setCookie: response.headers.getSetCookie(), at };
  } catch (error) {
    tally.networkErrors++;
    tally.firstProblem ??= `${method} ${path}: ${String(error)}`;
    return null;
  }
}

/** The answer, or an error that says what came back instead. */
async function expect(
  purpose: Purpose,
  method: string,
  path: string,
  caller: Caller,
  body: unknown,
  statuses: number[],
): Promise<Answer> {
  const answer = await call(purpose, method, path, caller, body);
  if (!answer) throw new Error(`${method} ${path}: no answer (${tallies[purpose].firstProblem})`);
  if (!statuses.includes(answer.status)) {
    throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text.slice(0, 500)}`);
  }
  return answer;
}

function sessionCookie(answer: Answer): string {
  for (const header of answer.setCookie) {
    const pair = header.split(';')[0] ?? '';
    if (pair.includes('homegrown_session=') && pair.split('=')[1]) return pair;
  }
  throw new Error(`no session cookie in the answer (${answer.status}): ${answer.text.slice(0, 200)}`);
}

/** A join link is `<origin>/join/#<token>` (or `#token=<token>`). */
function tokenOfLink(link: string): string {
  const fragment = decodeURIComponent(new URL(link).hash.slice(1));
  return new URLSearchParams(fragment).get('token') ?? fragment;
}

// ---------------------------------------------------------------------------------------
// 3. The people

type Kind = 'add' | 'edit' | 'move' | 'vote';
/** How a member came to hold a change: a poll's answer, its own write's answer, or it held it already when the author got the answer. */
type Channel = 'poll' | 'own write' | 'held at ack';

/** One acknowledged change. */
interface Change {
  seq: number;
  member: number;
  kind: Kind;
  cardId: string;
  /**
   * How a reader's state shows that it holds this change: the card exists (add); the card
   * is at this version or later (edit, move: a change accepted at version v makes it v + 1,
   * exactly); the board is at this version or later (vote: dots are hidden until revealed, so
   * only the board's version tells, and the version in the answer may already include later
   * changes, so it may count a vote as seen up to one poll late).
   */
  cardVersion: number;
  boardVersion: number;
  sentAt: number;
  ackAt: number;
  text?: string;
  column?: string;
}

/** A board state as a member holds it, with its cards' versions by id. */
interface View {
  state: BoardState;
  held: Map<string, number>;
}

/**
 * Two measures per (change, other member): until a poll of theirs answers with the change
 * in what they hold (a 200 carrying it, or a 204 confirming a state that has it: the
 * brief's measure), and until they hold it at all (a poll or the answer to their own
 * write, which carries the whole board too: what the person sees in the browser).
 */
interface Member extends View {
  index: number;
  caller: Caller;
  accountId: string;
  /** What the member held when its last poll answered. */
  polled: View;
  /** Other members' acknowledged changes this member does not hold yet… */
  waitingHeld: Set<Change>;
  /** …and that none of its polls has answered with yet. */
  waitingPoll: Set<Change>;
  /** Ids of this member's own cards, in the order added. */
  own: string[];
  random: () => number;
  changes: number;
}

interface Delay {
  ms: number;
  channel: Channel;
  kind: Kind;
  /** Seconds into the load when the change was acknowledged. */
  ackSecond: number;
}

interface Run {
  boardId: string;
  facilitator: Caller;
  members: Member[];
  changes: Change[];
  pollDelays: Delay[];
  heldDelays: Delay[];
  conflicts: { edit: number; move: number };
  retries: number;
  gaveUp: number;
  /** Answers to a change other than success and 409 (422, 429…), by "kind status". */
  refused: Map<string, number>;
  /** Changes whose outcome is unknown (no answer). */
  unknown: number;
  loadStart: number;
  loadEnd: number;
  lastAck: number;
  startVersion: number;
}

function holds(view: View, change: Change): boolean {
  if (change.kind === 'vote') return view.state.version >= change.boardVersion;
  const version = view.held.get(change.cardId);
  return version !== undefined && version >= change.cardVersion;
}

const delay = (run: Run, change: Change, ms: number, channel: Channel): Delay => ({
  ms,
  channel,
  kind: change.kind,
  ackSecond: (change.ackAt - run.loadStart) / 1000,
});

/** Moves the changes this view holds from `waiting` into `into`, seen at `at`. */
function settle(run: Run, view: View, waiting: Set<Change>, into: Delay[], at: number, channel: Channel): void {
  for (const change of waiting) {
    if (!holds(view, change)) continue;
    waiting.delete(change);
    into.push(delay(run, change, at - change.ackAt, channel));
  }
}

/** A member's new state (as the browser, any answer replaces it): every waiting change it now holds is seen. */
function accept(run: Run, member: Member, state: BoardState, at: number, channel: Channel): void {
  member.state = state;
  member.held = new Map(state.cards.map((card) => [card.id, card.version]));
  settle(run, member, member.waitingHeld, run.heldDelays, at, channel);
}

/** A poll answered (200, or 204: what the member holds is current): the poll has seen what the member holds. */
function polled(run: Run, member: Member, at: number): void {
  member.polled = { state: member.state, held: member.held };
  settle(run, member.polled, member.waitingPoll, run.pollDelays, at, 'poll');
}

/** An acknowledged change: every other member holds it already (delay 0) or waits for it. */
function acknowledged(run: Run, change: Change): void {
  run.changes.push(change);
  run.lastAck = Math.max(run.lastAck, change.ackAt);
  for (const other of run.members) {
    if (other.index === change.member) continue;
    if (holds(other, change)) run.heldDelays.push(delay(run, change, 0, 'held at ack'));
    else other.waitingHeld.add(change);
    if (holds(other.polled, change)) run.pollDelays.push(delay(run, change, 0, 'held at ack'));
    else other.waitingPoll.add(change);
  }
}

const visibleCards = (state: BoardState) => state.cards.filter((card) => card.status === 'visible' && !card.deletedAt);
const pick = <T>(random: () => number, items: T[]): T => items[Math.floor(random() * items.length)] as T;
const errorOf = (body: unknown) =>
  (typeof body === 'object' && body !== null
    ? (body as { error?: { code?: string; current?: unknown } }).error
    : undefined) ?? {};

function chooseKind(member: Member): Kind {
  const roll = member.random();
  const state = member.state;
  if (roll < MIX.add) return 'add';
  if (roll < MIX.edit) return member.own.some((id) => member.held.has(id)) ? 'edit' : 'add';
  if (roll < MIX.move) return visibleCards(state).length > 0 ? 'move' : 'add';
  return state.you.votesLeft > 0 && visibleCards(state).length > 0 ? 'vote' : 'add';
}

/** Answers to a change that refused it for a reason other than a version conflict. */
function refusedChange(run: Run, kind: Kind, answer: Answer | null): void {
  if (!answer) {
    run.unknown++;
    return;
  }
  const key = `${kind} ${answer.status} ${errorOf(answer.body).code ?? ''}`.trim();
  run.refused.set(key, (run.refused.get(key) ?? 0) + 1);
}

/** One change, as a person would make it; an edit or move that meets a 409 reads the card's current version and tries again. */
async function makeChange(run: Run, member: Member): Promise<void> {
  const base = `/api/boards/${run.boardId}`;
  const kind = chooseKind(member);
  const sentAt = performance.now();
  member.changes++;
  // The author takes the answer's board as its state, and the change counts from that answer on.
  const acknowledge = (answer: Answer, change: Pick<Change, 'cardId' | 'cardVersion' | 'text' | 'column'>) => {
    const state = answer.body as BoardState;
    accept(run, member, state, answer.at, 'own write');
    acknowledged(run, {
      seq: run.changes.length,
      member: member.index,
      kind,
      boardVersion: state.version,
      sentAt,
      ackAt: answer.at,
      ...change,
    });
  };
  if (kind === 'add') {
    const column = pick(member.random, member.state.columns).id;
    const text = `Member ${member.index + 1}, card ${member.own.length + 1}: an idea to try with the team`;
    const answer = await call('write', 'POST', `${base}/cards`, member.caller, { column, text });
    if (answer?.status !== 201) return refusedChange(run, kind, answer);
    const known = new Set(member.own);
    const card = (answer.body as BoardState).cards.find((c) => c.mine && !known.has(c.id));
    if (!card) throw new Error(`the answer to member ${member.index + 1}'s new card does not hold it`);
    member.own.push(card.id);
    return acknowledge(answer, { cardId: card.id, cardVersion: card.version, text, column });
  }
  if (kind === 'vote') {
    const card = pick(member.random, visibleCards(member.state));
    const answer = await call('write', 'POST', `${base}/cards/${card.id}/votes`, member.caller, {});
    if (answer?.status !== 200 && answer?.status !== 201) return refusedChange(run, kind, answer);
    return acknowledge(answer, { cardId: card.id, cardVersion: 0 });
  }

  // Edit one of my cards, or move anyone's card to another column.
  const mine = member.own.filter((id) => member.held.has(id));
  const chosen = kind === 'edit' ? pick(member.random, mine) : undefined;
  const card: CardView | undefined =
    kind === 'edit' ? member.state.cards.find((c) => c.id === chosen) : pick(member.random, visibleCards(member.state));
  if (!card) throw new Error(`member ${member.index + 1} chose a card it does not hold`);
  let version = card.version;
  let column = card.column;
  const otherColumns = () => member.state.columns.filter((c) => c.id !== column);
  let target = kind === 'move' ? pick(member.random, otherColumns()).id : undefined;
  const text = kind === 'edit' ? `${card.text.replace(/ \(edit \d+\)$/, '')} (edit ${member.changes})` : undefined;
  for (let attempt = 0; attempt <= MAX_RETRIES; attempt++) {
    // Someone else moved it there meanwhile: a move must change something, so choose another column.
    if (kind === 'move' && column === target) target = pick(member.random, otherColumns()).id;
    const inTarget = member.state.cards.filter((c) => c.column === target && !c.deletedAt).length;
    const body =
      kind === 'edit'
        ? { version, text }
        : { version, column: target, position: Math.floor(member.random() * (inTarget + 1)) };
    const answer = await call('write', 'PATCH', `${base}/cards/${card.id}`, member.caller, body);
    if (answer?.status === 200) {
      return acknowledge(answer, { cardId: card.id, cardVersion: version + 1, text, column: target });
    }
    if (answer?.status !== 409 || errorOf(answer.body).code !== 'VERSION_CONFLICT') {
      return refusedChange(run, kind, answer);
    }
    run.conflicts[kind]++;
    if (attempt === MAX_RETRIES) break;
    run.retries++;
    // The 409 carries the card as it is now: that is the re-read.
    const current = errorOf(answer.body).current as CardView | undefined;
    if (current && typeof current.version === 'number') {
      version = current.version;
      column = current.column;
    } else {
      const fresh = await call('write', 'GET', base, member.caller);
      const now = (fresh?.body as BoardState | null)?.cards?.find((c) => c.id === card.id);
      if (!now) break;
      version = now.version;
      column = now.column;
    }
  }
  run.gaveUp++;
}

async function changeLoop(run: Run, member: Member, offset: number): Promise<void> {
  for (let k = 0; !dev.isStopping(); k++) {
    const due = run.loadStart + offset + k * CHANGE_EVERY_MS;
    if (due >= run.loadStart + DURATION_MS) return;
    if (performance.now() - run.loadStart > HARD_STOP_MS) {
      console.error(`  member ${member.index + 1} is over ${dev.seconds(HARD_STOP_MS)} behind: stopping its changes`);
      return;
    }
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    await makeChange(run, member);
  }
}

/** As the browser: ask with the version held, take a newer state, ask again 1 s after the answer. */
async function pollLoop(run: Run, member: Member, offset: number, done: () => boolean): Promise<void> {
  await sleep(offset);
  while (!dev.isStopping() && !done()) {
    const answer = await call('poll', 'GET', `/api/boards/${run.boardId}?since=${member.state.version}`, member.caller);
    if (answer?.status === 200) {
      const state = answer.body as BoardState;
      // A write may have answered with a newer state meanwhile; an older poll must not undo it.
      if (state.version >= member.state.version) accept(run, member, state, answer.at, 'poll');
    }
    if (answer?.status === 200 || answer?.status === 204) polled(run, member, answer.at);
    await sleep(POLL_MS);
  }
}

// ---------------------------------------------------------------------------------------
// 4. CPU, from /proc (Linux; NaN elsewhere)

interface CpuSnapshot {
  total: number;
  busy: number;
  cores: number;
  client: number;
  server: number;
  /** Each thread of wrangler dev's processes ("pid/tid" → ticks): a Worker runs on one thread, so one busy thread is the limit. */
  threads: Map<string, number>;
}

function statTicks(stat: string): { group: number; ticks: number } {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { group: Number(fields[2]), ticks: Number(fields[11]) + Number(fields[12]) };
}

function cpuSnapshot(): CpuSnapshot {
  try {
    const lines = readFileSync('/proc/stat', 'utf8').split('\n');
    const fields = (lines[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, n) => sum + n, 0);
    const busy = total - (fields[3] ?? 0) - (fields[4] ?? 0);
    const cores = lines.filter((line) => /^cpu\d+ /.test(line)).length;
    const client = statTicks(readFileSync('/proc/self/stat', 'utf8')).ticks;
    let serverTicks = 0;
    const threads = new Map<string, number>();
    const group = dev.serverPid();
    for (const pid of group ? readdirSync('/proc') : []) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const proc = statTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        if (proc.group !== group) continue;
        serverTicks += proc.ticks;
        for (const tid of readdirSync(`/proc/${pid}/task`)) {
          threads.set(`${pid}/${tid}`, statTicks(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')).ticks);
        }
      } catch {}
    }
    return { total, busy, cores, client, server: serverTicks, threads };
  } catch {
    return {
      total: Number.NaN,
      busy: Number.NaN,
      cores: 0,
      client: Number.NaN,
      server: Number.NaN,
      threads: new Map(),
    };
  }
}

/** Cores used between two snapshots (1.00 = one core busy all the time). */
function cpuUse(before: CpuSnapshot, after: CpuSnapshot) {
  const wall = (after.total - before.total) / after.cores;
  const busy = (after.busy - before.busy) / wall;
  const server = (after.server - before.server) / wall;
  const client = (after.client - before.client) / wall;
  let thread = 0;
  for (const [key, ticks] of after.threads) thread = Math.max(thread, (ticks - (before.threads.get(key) ?? 0)) / wall);
  return { cores: after.cores, busy, server, thread, client, other: Math.max(0, busy - server - client) };
}

function cpuText(before: CpuSnapshot, after: CpuSnapshot): string {
  const use = cpuUse(before, after);
  return (
    `${use.busy.toFixed(2)} of ${use.cores} busy: server (wrangler dev) ${use.server.toFixed(2)} ` +
    `(its busiest thread ${use.thread.toFixed(2)}), client (this benchmark) ${use.client.toFixed(2)}, ` +
    `other ${use.other.toFixed(2)}`
  );
}

// ---------------------------------------------------------------------------------------
// 5. The check: the final board is what the acknowledged changes imply

interface Check {
  label: string;
  ok: boolean;
  detail: string;
}

function checkFinal(run: Run, before: BoardState, revealed: BoardState): Check[] {
  const adds = run.changes.filter((c) => c.kind === 'add');
  const expected = new Map(
    adds.map((c) => [
      c.cardId,
      { text: c.text as string, column: c.column as string, versions: [] as number[], version: 1, votes: 0 },
    ]),
  );
  // Edits and moves of one card are accepted at versions 1, 2, 3…, each making the next:
  // the one that made the highest version is the last, and two acknowledged at the same
  // version would be a lost update.
  const byCardVersion = [...run.changes].sort((a, b) => a.cardVersion - b.cardVersion);
  let unexplained = 0;
  for (const change of byCardVersion) {
    if (change.kind === 'add') continue;
    const card = expected.get(change.cardId);
    if (!card) {
      unexplained++;
      continue;
    }
    if (change.kind === 'vote') card.votes++;
    else {
      card.versions.push(change.cardVersion);
      card.version = 1 + card.versions.length;
      if (change.kind === 'edit') card.text = change.text as string;
      else card.column = change.column as string;
    }
  }
  const cards = revealed.cards.filter((card) => !card.deletedAt);
  const present = new Map(cards.map((card) => [card.id, card]));
  const lost = [...expected.keys()].filter((id) => !present.has(id));
  const extra = cards.filter((card) => !expected.has(card.id));
  const wrong: Record<'text' | 'column' | 'version' | 'votes', string[]> = {
    text: [],
    column: [],
    version: [],
    votes: [],
  };
  for (const [id, want] of expected) {
    const card = present.get(id);
    if (!card) continue;
    if (card.text !== want.text) wrong.text.push(`${id}: "${card.text}" ≠ "${want.text}"`);
    if (card.column !== want.column) wrong.column.push(`${id}: ${card.column} ≠ ${want.column}`);
    const chain = want.versions.every((version, i) => version === i + 2);
    if (card.version !== want.version || !chain) {
      wrong.version.push(
        `${id}: ${card.version} ≠ ${want.version} (changes accepted at ${want.versions.map((v) => v - 1).join(',') || 'none'})`,
      );
    }
    if (card.votes !== want.votes) wrong.votes.push(`${id}: ${String(card.votes)} ≠ ${want.votes}`);
  }
  const positionProblems: string[] = [];
  for (const column of revealed.columns) {
    const positions = cards
      .filter((card) => card.column === column.id)
      .map((card) => card.position)
      .sort((a, b) => a - b);
    if (positions.some((position, i) => position !== i)) positionProblems.push(`${column.id}: ${positions.join(',')}`);
  }
  const edits = run.changes.filter((c) => c.kind === 'edit').length;
  const moves = run.changes.filter((c) => c.kind === 'move').length;
  const votes = run.changes.filter((c) => c.kind === 'vote').length;
  const sample = (items: string[]) => (items.length ? `; e.g. ${items.slice(0, 2).join('; ')}` : '');
  const versionDelta = before.version - run.startVersion;
  return [
    {
      label: 'every acknowledged card is there, once',
      ok: lost.length === 0 && extra.length === 0 && unexplained === 0,
      detail:
        `${cards.length} cards for ${adds.length} acknowledged adds; lost ${lost.length}, extra ${extra.length}` +
        (unexplained ? `; ${unexplained} changes to unknown cards` : '') +
        sample([...lost, ...extra.map((card) => `${card.id} "${card.text}"`)]),
    },
    {
      label: "each card's text is its last acknowledged edit",
      ok: wrong.text.length === 0,
      detail: `${edits} edits; ${wrong.text.length} cards differ${sample(wrong.text)}`,
    },
    {
      label: "each card's column is its last acknowledged move",
      ok: wrong.column.length === 0,
      detail: `${moves} moves; ${wrong.column.length} cards differ${sample(wrong.column)}`,
    },
    {
      label: "each card's version = 1 + its acknowledged edits and moves, each accepted at a different version",
      ok: wrong.version.length === 0,
      detail: `${wrong.version.length} cards differ${sample(wrong.version)}`,
    },
    {
      label: 'dots per card = acknowledged votes (after reveal)',
      ok: wrong.votes.length === 0 && before.votesPlaced === votes,
      detail:
        `${votes} votes; votesPlaced before reveal ${before.votesPlaced}; ${wrong.votes.length} cards differ` +
        sample(wrong.votes),
    },
    {
      label: 'positions in each column are 0, 1, 2… without gaps or repeats',
      ok: positionProblems.length === 0,
      detail: positionProblems.length ? positionProblems.slice(0, 2).join('; ') : `${revealed.columns.length} columns`,
    },
    {
      label: 'board version went up once per acknowledged change',
      ok: versionDelta === run.changes.length,
      detail: `${run.startVersion} → ${before.version} (+${versionDelta}) for ${run.changes.length} changes`,
    },
  ];
}

// ---------------------------------------------------------------------------------------
// 6. Report

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summary(values: number[]): { n: number; p50: number; p95: number; max: number; mean: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1),
  };
}

const ms = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en') : '–');
const statuses = (tally: Tally) =>
  [...tally.statuses]
    .sort((a, b) => a[0] - b[0])
    .map(([status, n]) => `${status} × ${n}`)
    .join(', ') || '–';
const count = (tally: Tally, test: (status: number) => boolean) =>
  [...tally.statuses].filter(([status]) => test(status)).reduce((sum, [, n]) => sum + n, 0);

function report(
  run: Run,
  meta: {
    code: string;
    reloads: number;
    startup: number;
    setup: number;
    cpu: string;
    /** At the start of each 10 s window, then at the end of the load. */
    windowCpu: CpuSnapshot[];
    finalBytes: number;
  },
  checks: Check[],
  unseen: { poll: number; held: number },
): { markdown: string; pass: boolean } {
  const { cores, cpu, node, wrangler } = dev.machine();
  const loadSeconds = (run.loadEnd - run.loadStart) / 1000;
  const byKind = (kind: Kind) => run.changes.filter((c) => c.kind === kind).length;
  const delays = summary(run.pollDelays.map((d) => d.ms));
  const heldDelays = summary(run.heldDelays.map((d) => d.ms));
  const via = (list: Delay[], channel: Channel) =>
    list.filter((d) => d.channel === channel).length.toLocaleString('en');
  const writeTimes = summary(run.changes.map((c) => c.ackAt - c.sentAt));
  const polls = tallies.poll;
  const fullPolls = polls.bytes.filter((b) => b > 0);
  const serverErrors = (['setup', 'poll', 'write', 'check'] as const).reduce(
    (sum, purpose) => sum + count(tallies[purpose], (status) => status >= 500),
    0,
  );
  const networkErrors = (['setup', 'poll', 'write', 'check'] as const).reduce(
    (sum, purpose) => sum + tallies[purpose].networkErrors,
    0,
  );
  const pairs = run.changes.length * (run.members.length - 1);
  const scheduled = run.members.length * Math.ceil(DURATION_MS / CHANGE_EVERY_MS);
  const refused = [...run.refused].map(([key, n]) => `${key} × ${n}`).join(', ') || '0';
  const lines: string[] = [];
  lines.push(
    `Run ${new Date().toISOString()} on ${cores} cores (${cpu}), Node ${node}, wrangler ${wrangler}; ` +
      `command \`flock /tmp/heavy.lock npx tsx bench/boards.ts\`. Code: ${meta.code}. ` +
      `wrangler dev reloads during the run: ${meta.reloads}.`,
    '',
    `Scenario: ${run.members.length} members on one protocol board (not anonymous, ${VOTE_BUDGET} dots each), ` +
      `each making one change every ${CHANGE_EVERY_MS / 1000} s for ${DURATION_MS / 1000} s ` +
      '(add a card 55%, edit one of their own 20%, move any card to another column 15%, place a dot 10%; ' +
      `seed ${SEED}) while polling \`GET /api/boards/:id?since=<version>\` ${POLL_MS / 1000} s after each answer, ` +
      'as the browser does. Setup (migrations, seed, server start, sign-in, invitations, joins): ' +
      `${(meta.setup / 1000).toFixed(1)} s; wrangler dev ready in ${(meta.startup / 1000).toFixed(1)} s.`,
    '',
    '**Propagation**: from the moment a change is acknowledged (its answer fully read by the author) to the ' +
      'moment each other member has it, for every (change, other member) pair, measured two ways. ' +
      "*Poll sees it* (the issue's measure): the first answer to that member's poll after which what the member " +
      'holds includes the change (a 200 carrying it, or a 204 saying the state it holds, which has it, is current). ' +
      '*Member holds it*: the first answer of any kind that gives it to them, their poll or the answer to their ' +
      'own change (which carries the whole board too), which is what the person sees on screen. "At ack": the ' +
      'member had it already when the author got the answer (counted as 0 ms).',
    '',
    '| measured until | pairs | seen | p50 ms | p95 ms | max ms | mean ms | never seen | how |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    `| poll sees it | ${run.changes.length} × ${run.members.length - 1} = ${pairs.toLocaleString('en')} | ` +
      `${delays.n.toLocaleString('en')} | ${ms(delays.p50)} | ${ms(delays.p95)} | ${ms(delays.max)} | ` +
      `${ms(delays.mean)} | ${unseen.poll} | at ack ${via(run.pollDelays, 'held at ack')} |`,
    `| member holds it | ${pairs.toLocaleString('en')} | ${heldDelays.n.toLocaleString('en')} | ` +
      `${ms(heldDelays.p50)} | ${ms(heldDelays.p95)} | ${ms(heldDelays.max)} | ${ms(heldDelays.mean)} | ` +
      `${unseen.held} | poll ${via(run.heldDelays, 'poll')}, own write ${via(run.heldDelays, 'own write')}, ` +
      `at ack ${via(run.heldDelays, 'held at ack')} |`,
    '',
    '**By kind of change** (ms; a vote is known to others only by the board version, which may already include ' +
      'later changes, so it can count as seen up to one poll late):',
    '',
    '| kind | acknowledged | poll sees it p50 | p95 | max | member holds it p50 | p95 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const kind of ['add', 'edit', 'move', 'vote'] as const) {
    const s = summary(run.pollDelays.filter((d) => d.kind === kind).map((d) => d.ms));
    const h = summary(run.heldDelays.filter((d) => d.kind === kind).map((d) => d.ms));
    lines.push(
      `| ${kind} | ${byKind(kind)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} | ${ms(h.p50)} | ${ms(h.p95)} |`,
    );
  }
  lines.push(
    '',
    '**Over the minute** (as the board fills up), by when the change was acknowledged:',
    '',
    '| window | changes | poll sees it p50 ms | p95 ms | member holds it p95 ms | write answer p50 ms | poll answer p50 ms | cards by the end of it | CPU: server (busiest thread), other |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  const windows = Math.ceil(loadSeconds / 10);
  for (let w = 0; w < windows; w++) {
    const inWindow = (second: number) => second >= w * 10 && second < (w + 1) * 10;
    const changes = run.changes.filter((c) => inWindow((c.ackAt - run.loadStart) / 1000));
    const d = summary(run.pollDelays.filter((x) => inWindow(x.ackSecond)).map((x) => x.ms));
    const h = summary(run.heldDelays.filter((x) => inWindow(x.ackSecond)).map((x) => x.ms));
    const writes = summary(changes.map((c) => c.ackAt - c.sentAt));
    const pollsIn = summary(
      pollLog.filter((entry) => inWindow((entry.at - run.loadStart) / 1000)).map((entry) => entry.ms),
    );
    const cardsBy = run.changes.filter(
      (c) => c.kind === 'add' && (c.ackAt - run.loadStart) / 1000 < (w + 1) * 10,
    ).length;
    const from = meta.windowCpu[w];
    const to = meta.windowCpu[w + 1] ?? meta.windowCpu.at(-1);
    const use = from && to && from !== to ? cpuUse(from, to) : undefined;
    lines.push(
      `| ${w * 10}–${(w + 1) * 10} s | ${changes.length} | ${ms(d.p50)} | ${ms(d.p95)} | ${ms(h.p95)} | ` +
        `${ms(writes.p50)} | ${ms(pollsIn.p50)} | ${cardsBy} | ` +
        `${use ? `${use.server.toFixed(2)} (${use.thread.toFixed(2)}), ${use.other.toFixed(2)}` : '–'} |`,
    );
  }
  lines.push(
    '',
    '**Load**:',
    '',
    '| measure | value |',
    '| --- | --- |',
    `| changes acknowledged | ${run.changes.length} of ${scheduled} scheduled (add ${byKind('add')}, edit ${byKind('edit')}, move ${byKind('move')}, vote ${byKind('vote')}) |`,
    `| load phase (first change due → last answer) | ${loadSeconds.toFixed(1)} s |`,
    `| changes acknowledged per second | ${(run.changes.length / loadSeconds).toFixed(1)} |`,
    `| write answer time (send → answer read) | p50 ${ms(writeTimes.p50)} ms, p95 ${ms(writeTimes.p95)} ms, max ${ms(writeTimes.max)} ms |`,
    `| 409 VERSION_CONFLICT | ${run.conflicts.edit + run.conflicts.move} (edits ${run.conflicts.edit}, moves ${run.conflicts.move}); retried ${run.retries}, gave up ${run.gaveUp} |`,
    `| changes refused otherwise | ${refused} |`,
    `| write requests by status | ${statuses(tallies.write)} |`,
    `| polls | ${polls.requests.toLocaleString('en')} (${(polls.requests / loadSeconds).toFixed(1)}/s): ${statuses(polls)} |`,
    `| poll answer time | p50 ${ms(summary(polls.times).p50)} ms, p95 ${ms(summary(polls.times).p95)} ms |`,
    `| board state size | ${fullPolls.length ? `mean ${(summary(fullPolls).mean / 1024).toFixed(0)} KB per full poll answer; ` : ''}${(meta.finalBytes / 1024).toFixed(0)} KB at the end |`,
    `| answers ≥ 500, all requests | ${serverErrors} |`,
    `| requests without an answer | ${networkErrors}${run.unknown ? ` (${run.unknown} changes of unknown outcome)` : ''} |`,
    `| CPU during the load (from /proc) | ${meta.cpu} |`,
  );
  const firstProblems = (['setup', 'poll', 'write', 'check'] as const)
    .map((purpose) => tallies[purpose].firstProblem)
    .filter((problem): problem is string => problem !== null);
  if (firstProblems.length) lines.push('', `First problem: ${firstProblems[0]?.replaceAll('|', '\\|')}`);

  const all: Check[] = [
    ...checks,
    {
      label: 'no answer ≥ 500, no request unanswered',
      ok: serverErrors === 0 && networkErrors === 0,
      detail: `${serverErrors} ≥ 500, ${networkErrors} unanswered`,
    },
    {
      label: `every change reached every other member's poll (within ${DRAIN_MS / 1000} s after the last)`,
      ok: unseen.poll === 0 && unseen.held === 0,
      detail: `${unseen.poll} of ${pairs.toLocaleString('en')} never seen`,
    },
  ];
  lines.push(
    '',
    '**Checks** (the final board against the acknowledged changes)',
    '',
    '| check | measured | result |',
    '| --- | --- | --- |',
  );
  for (const check of all)
    lines.push(`| ${check.label} | ${check.detail.replaceAll('|', '\\|')} | ${check.ok ? 'PASS' : 'FAIL'} |`);
  const pass = all.every((check) => check.ok);
  lines.push(
    '',
    `**${pass ? 'PASS' : 'FAIL'}**: ${pass ? 'no change lost or doubled' : 'see the checks above'}; ` +
      `p95 propagation ${ms(delays.p95)} ms until another member's poll sees a change ` +
      `(${ms(heldDelays.p95)} ms until they hold it by any answer), over ${delays.n.toLocaleString('en')} ` +
      '(change, member) pairs.',
  );
  return { markdown: `${lines.join('\n')}\n`, pass };
}

// ---------------------------------------------------------------------------------------

async function signInFacilitator(): Promise<Caller> {
  const caller: Caller = { address: FACILITATOR_ADDRESS };
  await expect('setup', 'POST', '/api/auth/sign-in-link', caller, { email: FACILITATOR }, [202]);
  // The local outbox lists mail newest first; the link's token travels in its fragment.
  let token: string | undefined;
  for (let attempt = 0; attempt < 50 && !token; attempt++) {
    const outbox = await expect('setup', 'GET', '/dev/outbox', caller, undefined, [200]);
    token = /sign-in\/complete\/#token=([A-Za-z0-9_-]{43})/.exec(outbox.text)?.[1];
    if (!token) await sleep(100);
  }
  if (!token) throw new Error('no sign-in link in the local outbox');
  const session = await expect('setup', 'POST', '/api/auth/session', caller, { token }, [200]);
  return { ...caller, cookie: sessionCookie(session) };
}

/** The newest join link the local outbox holds for this address (it lists mail newest first). */
async function mailedJoinLink(email: string, caller: Caller): Promise<string> {
  const mail = new RegExp(
    `To ${email.replaceAll('.', '\\.')},[\\s\\S]*?(https?://[^\\s"<]+/join/#token=[A-Za-z0-9_-]{43})`,
  );
  for (let attempt = 0; attempt < 50; attempt++) {
    const outbox = await expect('setup', 'GET', '/dev/outbox', caller, undefined, [200]);
    const link = mail.exec(outbox.text)?.[1];
    if (link) return link;
    await sleep(100);
  }
  throw new Error(`no join link for ${email} in the local outbox`);
}

async function setUp(): Promise<{ boardId: string; facilitator: Caller; members: Member[]; startVersion: number }> {
  const facilitator = await signInFacilitator();
  const created = await expect(
    'setup',
    'POST',
    '/api/boards',
    facilitator,
    { campaignId: CAMPAIGN_ID, title: 'Benchmark: live updates', template: 'protocol', voteBudget: VOTE_BUDGET },
    [201],
  );
  const boardId = (created.body as BoardState).id;
  const members: Member[] = [];
  for (let i = 0; i < MEMBERS; i++) {
    const invited = await expect(
      'setup',
      'POST',
      `/api/boards/${boardId}/invitations`,
      facilitator,
      { email: memberEmail(i), name: `Member ${i + 1}`, role: 'member' },
      [201],
    );
    const { accountId } = invited.body as { accountId: string };
    const caller: Caller = { address: memberAddress(i) };
    // The join link is only in the invitation email (the local outbox), never in the answer.
    const link = await mailedJoinLink(memberEmail(i), caller);
    const joined = await expect('setup', 'POST', '/api/boards/join', caller, { token: tokenOfLink(link) }, [200]);
    caller.cookie = sessionCookie(joined);
    members.push({
      index: i,
      caller,
      accountId,
      state: created.body as BoardState,
      held: new Map(),
      polled: { state: created.body as BoardState, held: new Map() },
      waitingHeld: new Set(),
      waitingPoll: new Set(),
      own: [],
      random: mulberry32(SEED + i),
      changes: 0,
    });
  }
  // Each member opens the board once, as the page does, before the clock starts.
  for (const member of members) {
    const opened = await expect('setup', 'GET', `/api/boards/${boardId}`, member.caller, undefined, [200]);
    member.state = opened.body as BoardState;
    if (member.state.you.role !== 'member') throw new Error(`member ${member.index + 1} is ${member.state.you.role}`);
  }
  const start = await expect('setup', 'GET', `/api/boards/${boardId}`, facilitator, undefined, [200]);
  const startVersion = (start.body as BoardState).version;
  for (const member of members) member.state = start.body as BoardState;
  return { boardId, facilitator, members, startVersion };
}

async function main(): Promise<boolean> {
  const begin = performance.now();
  const folder = dev.openBench({ prefix: 'homegrown-bench-boards-', folderLabel: 'temporary folder' });
  const { app, state } = folder;
  try {
    const code = dev.codeVersion();
    dev.snapshotApp(app);
    console.log(`Measuring ${code}.`);
    await dev.run('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], app);
    await seed(folder);
    console.log(`Migrations and seed: ${dev.seconds(performance.now() - begin)}. Starting wrangler dev on ${ORIGIN}…`);
    // Mail goes to the local outbox, where the facilitator's sign-in link is read.
    const startup = await dev.startServer(folder, PORT, ['DEV_OUTBOX:on']);
    console.log(`Ready in ${dev.seconds(startup)}. Signing in, creating the board, inviting ${MEMBERS} members…`);
    const setup = await setUp();
    const setupMs = performance.now() - begin;
    console.log(`Board ${setup.boardId} at version ${setup.startVersion}; setup took ${dev.seconds(setupMs)}.`);

    const runState: Run = {
      ...setup,
      changes: [],
      pollDelays: [],
      heldDelays: [],
      conflicts: { edit: 0, move: 0 },
      retries: 0,
      gaveUp: 0,
      refused: new Map(),
      unknown: 0,
      loadStart: performance.now() + 500,
      loadEnd: 0,
      lastAck: 0,
      startVersion: setup.startVersion,
    };
    for (const member of runState.members) {
      accept(runState, member, member.state, runState.loadStart, 'poll');
      polled(runState, member, runState.loadStart);
    }

    console.log(`Load: ${MEMBERS} members × one change a second for ${DURATION_MS / 1000} s…`);
    let changing = true;
    let drainedAt = 0;
    const caughtUp = () =>
      runState.members.every((member) => member.waitingHeld.size === 0 && member.waitingPoll.size === 0);
    const pollsDone = () => !changing && (caughtUp() || performance.now() > drainedAt);
    // Spread the members over the second, so their changes and polls do not all land together.
    const offset = (i: number) => (i * CHANGE_EVERY_MS) / MEMBERS;
    // CPU at the start of each 10 s window of the load, for the table over the minute.
    const windowCpu: CpuSnapshot[] = [];
    let progress: ReturnType<typeof setTimeout> | undefined;
    const tick = (w: number) => {
      windowCpu[w] = cpuSnapshot();
      if (w > 0) {
        const s = summary(runState.pollDelays.map((d) => d.ms));
        const use = cpuUse(windowCpu[w - 1] as CpuSnapshot, windowCpu[w] as CpuSnapshot);
        console.log(
          `  ${w * 10} s: ${runState.changes.length} changes, p95 propagation ${ms(s.p95)} ms, ` +
            `409s ${runState.conflicts.edit + runState.conflicts.move}, polls ${tallies.poll.requests}; ` +
            `server CPU ${use.server.toFixed(2)} (thread ${use.thread.toFixed(2)}), other ${use.other.toFixed(2)}`,
        );
      }
      progress = setTimeout(() => tick(w + 1), runState.loadStart + (w + 1) * 10_000 - performance.now());
    };
    progress = setTimeout(() => tick(0), Math.max(0, runState.loadStart - performance.now()));
    const polls = runState.members.map((member) =>
      pollLoop(runState, member, Math.max(0, runState.loadStart - performance.now()) + offset(member.index), pollsDone),
    );
    await Promise.all(runState.members.map((member) => changeLoop(runState, member, offset(member.index))));
    runState.loadEnd = performance.now();
    changing = false;
    drainedAt = performance.now() + DRAIN_MS;
    const cpuEnd = cpuSnapshot();
    clearTimeout(progress);
    const cpu = cpuText(windowCpu[0] ?? cpuEnd, cpuEnd);
    console.log(
      `  changes done in ${dev.seconds(runState.loadEnd - runState.loadStart)}; waiting for every member to catch up…`,
    );
    await Promise.all(polls);
    const unseen = {
      poll: runState.members.reduce((sum, member) => sum + member.waitingPoll.size, 0),
      held: runState.members.reduce((sum, member) => sum + member.waitingHeld.size, 0),
    };
    if (dev.isStopping()) return false;

    console.log('Reading the final board, revealing the votes…');
    const before = await expect(
      'check',
      'GET',
      `/api/boards/${runState.boardId}`,
      runState.facilitator,
      undefined,
      [200],
    );
    const beforeState = before.body as BoardState;
    const revealed = await expect(
      'check',
      'PATCH',
      `/api/boards/${runState.boardId}`,
      runState.facilitator,
      { settingsVersion: beforeState.settingsVersion, votesRevealed: true },
      [200],
    );
    const checks = checkFinal(runState, beforeState, revealed.body as BoardState);

    const { markdown, pass } = report(
      runState,
      {
        code,
        reloads: dev.reloads(folder),
        startup,
        setup: setupMs,
        cpu,
        windowCpu: [...windowCpu, cpuEnd],
        finalBytes: Buffer.byteLength(before.text),
      },
      checks,
      unseen,
    );
    await dev.writeResults('boards-results.md', 'Boards live-update benchmark results', markdown);
    console.log(
      `\n${markdown}\nWritten to bench/boards-results.md. Whole run: ${dev.seconds(performance.now() - begin)}.`,
    );
    return pass;
  } finally {
    await dev.cleanup();
  }
}

main().then(
  (pass) => process.exit(pass ? 0 : 1),
  async (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await dev.cleanup();
    process.exit(1);
  },
);
