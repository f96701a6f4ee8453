/**
 * `npm start`: build the site if anything it is built from changed since its last build
 * (scripts/site-build.ts), apply the D1 migrations the local database does not have yet,
 * seed the demo district when the database is entirely empty (no accounts either: never
 * over a district someone has begun to set up), then serve the Worker with `wrangler dev`
 * and print the addresses a person needs. A second start with nothing changed skips the
 * build and the migrations (bench/README.md has the timings).
 *
 * `npm start -- --district` serves a real district's own database instead (its own folder,
 * scripts/local-state.ts), which is never seeded: it starts empty, and its first admin is
 * made with `npm run admin -- invite … --district`. A deployed Worker seeds nothing either
 * way: seeding is this script's, run in Node before the server starts.
 *
 * Environment: PORT (default 8787) and HOMEGROWN_STATE (the local data folder) let the
 * browser tests run a second copy beside a developer's own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DISTRICT_ROWS_SQL } from '../worker/src/db/roster';
import { DEMO_ACCOUNTS, FALL_CAMPAIGN_ID, SPRING_CAMPAIGN_ID } from './demo/district';
import { DISTRICT_FLAG, localState } from './local-state';
import { buildSiteIfStale, siteBuild } from './site-build';

const unknown = process.argv.slice(2).filter((arg) => arg !== DISTRICT_FLAG);
if (unknown.length > 0) {
  console.error(
    `Unknown argument "${unknown[0]}". Use npm start for the demo district, npm start -- ${DISTRICT_FLAG} for your own.`,
  );
  process.exit(2);
}
const district = process.argv.includes(DISTRICT_FLAG);
const port = Number(process.env.PORT ?? 8787);
const state = localState(district);
const origin = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  // Without this, each start asks the internet for a `Request.cf` sample, and waits up to
  // 3 s for it offline; locally miniflare's placeholder serves (worker/src/auth/limits.ts).
  CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? 'false',
};
// getPlatformProxy runs in this process and reads the same setting.
process.env.CLOUDFLARE_CF_FETCH_ENABLED = env.CLOUDFLARE_CF_FETCH_ENABLED;
/** As wrangler.toml's migrations_dir; wrangler records each one applied in d1_migrations. */
const MIGRATIONS = 'worker/migrations';

function run(command: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** What the local database holds, once the demo is seeded into it if it is the demo's and empty. */
interface Contents {
  seeded: boolean;
  /** The demo district is in it (seeded now or before). */
  demo: boolean;
  admins: number;
}

/** The migration files, in the order wrangler applies them. */
const migrationFiles = () =>
  readdirSync(MIGRATIONS)
    .filter((name) => name.endsWith('.sql'))
    .sort();

/** Whether the demo district is in the database, and how many admins it has (bound: the demo's fall campaign). */
const CONTENTS_SQL = `SELECT EXISTS (SELECT 1 FROM campaigns WHERE id = ?) AS demo,
  (SELECT COUNT(*) FROM account_roles WHERE role = 'admin') AS admins,
  ${DISTRICT_ROWS_SQL} AS rows`;

interface ContentsRow {
  demo: number;
  admins: number;
  rows: number;
}

/**
 * The local database read straight from its file, without starting workerd (which, with
 * loading wrangler, is most of a start's time): when every migration is applied and there
 * is nothing to seed (the database holds rows, or it is a district's), that is all a start
 * needs to know. Undefined when it cannot say so, and the full preparation runs instead: no
 * database yet, a migration not applied, an empty demo database, or a folder laid out
 * otherwise than the miniflare of this wrangler keeps it (one `<id>.sqlite` per database).
 */
function quickLook(): Contents | undefined {
  const folder = join(state, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  let files: string[];
  try {
    files = readdirSync(folder).filter((name) => /^[0-9a-f]{64}\.sqlite$/.test(name));
  } catch {
    return undefined;
  }
  if (files.length !== 1 || !files[0]) return undefined;
  let db: DatabaseSync | undefined;
  try {
    // Read-only: nothing is written, and the write-ahead log is left for workerd to fold in.
    db = new DatabaseSync(join(folder, files[0]), { readOnly: true });
    const applied = new Set(
      db
        .prepare('SELECT name FROM d1_migrations')
        .all()
        .map((row) => String(row.name)),
    );
    if (migrationFiles().some((name) => !applied.has(name))) return undefined;
    const row = db.prepare(CONTENTS_SQL).get(FALL_CAMPAIGN_ID) as unknown as ContentsRow | undefined;
    if (!row || (!district && row.rows === 0)) return undefined;
    return { seeded: false, demo: row.demo === 1, admins: row.admins };
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

/** The migration files the database has not had yet (all of them for a new database). */
async function pendingMigrations(db: D1Database): Promise<string[]> {
  const files = migrationFiles();
  try {
    const { results } = await db.prepare('SELECT name FROM d1_migrations').all<{ name: string }>();
    const applied = new Set(results.map((row) => row.name));
    return files.filter((name) => !applied.has(name));
  } catch {
    return files;
  }
}

/**
 * Through workerd (getPlatformProxy): applies the migrations the database lacks, seeds the
 * demo into an empty demo database, and reads what it holds. wrangler and the demo are
 * loaded only here, when the quick look could not settle it.
 */
async function prepareDatabase(): Promise<Contents> {
  const { getPlatformProxy } = await import('wrangler');
  const { seedDemoDistrict } = await import('./demo/seed');
  const openProxy = () => getPlatformProxy<Env>({ configPath: 'wrangler.toml', persist: { path: `${state}/v3` } });
  let proxy = await openProxy();
  try {
    if ((await pendingMigrations(proxy.env.DB)).length > 0) {
      // wrangler applies them (and records them) itself, with the database closed here.
      await proxy.dispose();
      await run('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state]);
      proxy = await openProxy();
    }
    const db = proxy.env.DB;
    const seeded = district ? false : await seedDemoDistrict(db);
    const row = await db.prepare(CONTENTS_SQL).bind(FALL_CAMPAIGN_ID).first<ContentsRow>();
    return { seeded, demo: row?.demo === 1, admins: row?.admins ?? 0 };
  } finally {
    await proxy.dispose();
  }
}

/** What this start is, said before anything else, with the way to the other one. */
function describe(contents: Contents): string {
  const folder = `(data in ${state})`;
  if (district) {
    return `Your district's own database ${folder}: never seeded with demo data. For the demo district, run npm start.`;
  }
  if (contents.seeded) {
    return `The demo district ${folder}: seeded into the empty database. For your own district, run npm start -- ${DISTRICT_FLAG}.`;
  }
  if (contents.demo) {
    return `The demo district ${folder}, as it was left. For your own district, run npm start -- ${DISTRICT_FLAG}.`;
  }
  return `This database ${folder} already holds data that is not the demo district's, so the demo was not seeded into it.`;
}

async function waitUntilServing(server: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt++) {
    if (server.exitCode !== null) throw new Error('wrangler dev stopped before it was ready');
    try {
      if ((await fetch(`${origin}/api/framework`)).ok) return;
    } catch {}
    await new Promise((wait) => setTimeout(wait, 250));
  }
  throw new Error(`nothing answered on ${origin} after 60 s`);
}

async function main() {
  await buildSiteIfStale(siteBuild(resolve('.')), () => run('astro', ['build', '--root', 'site', '--silent']));
  const contents = quickLook() ?? (await prepareDatabase());
  console.log(describe(contents));

  const server = spawn(
    'wrangler',
    [
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--persist-to',
      state,
      '--show-interactive-dev-session=false',
      // Mail is printed here and kept at /dev/outbox instead of being sent.
      '--var',
      'DEV_OUTBOX:on',
      // Links in mail point here; a deployment sets its own address (docs/deploying.md).
      '--var',
      `PUBLIC_ORIGIN:http://127.0.0.1:${port}`,
    ],
    { stdio: 'inherit', env, detached: true },
  );
  // wrangler dev ignores SIGTERM; SIGINT to its whole process group stops it cleanly.
  const stop = () => {
    if (server.pid && server.exitCode === null) process.kill(-server.pid, 'SIGINT');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.on('exit', (code) => process.exit(code ?? 0));

  await waitUntilServing(server);
  console.log(
    [
      '',
      `Homegrown is running at ${origin}`,
      describe(contents),
      ...(contents.demo ? demoGuide() : districtGuide(contents)),
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
}

function demoGuide(): string[] {
  return [
    `  Open survey (demo spring campaign):   ${origin}/survey/?c=${SPRING_CAMPAIGN_ID}`,
    `  Director's dashboard (fall campaign): ${origin}/dashboard/?c=${FALL_CAMPAIGN_ID}`,
    `  Competency framework:                 ${origin}/framework/`,
    `  Co-design boards:                     ${origin}/boards/`,
    `  Sign in:                              ${origin}/sign-in/`,
    `    as ${DEMO_ACCOUNTS.map((account) => `${account.email} (${account.roles.join(', ')})`).join(', ')};`,
    `    the sign-in link is printed here and kept at ${origin}/dev/outbox`,
  ];
}

function districtGuide(contents: Contents): string[] {
  const flag = district ? ` ${DISTRICT_FLAG}` : '';
  const stateNote = process.env.HOMEGROWN_STATE ? `HOMEGROWN_STATE=${process.env.HOMEGROWN_STATE} ` : '';
  if (contents.admins === 0) {
    return [
      '  No admin yet. Make the first one in another terminal:',
      `    ${stateNote}npm run admin -- invite you@your-district.org --role admin --name "Your Name"${flag}`,
      '  and open the sign-in link it prints. Then import the roster and create a campaign at',
      `  ${origin}/admin/`,
    ];
  }
  return [
    `  Sign in:  ${origin}/sign-in/ (the link is printed here and kept at ${origin}/dev/outbox)`,
    `  Admin:    ${origin}/admin/`,
  ];
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
