/**
 * `npm start`: build the site, apply the D1 migrations to the local database, seed the
 * demo district when the database is empty (never over existing data), then serve the
 * Worker with `wrangler dev` and print the addresses a person needs.
 *
 * Environment: PORT (default 8787) and HOMEGROWN_STATE (the local data folder, default
 * .wrangler/state) let the browser tests run a second copy beside a developer's own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { getPlatformProxy } from 'wrangler';
import { DEMO_ACCOUNTS, FALL_CAMPAIGN_ID, SPRING_CAMPAIGN_ID } from './demo/district';
import { seedDemoDistrict } from './demo/seed';

const port = Number(process.env.PORT ?? 8787);
const state = resolve(process.env.HOMEGROWN_STATE ?? '.wrangler/state');
const origin = `http://127.0.0.1:${port}`;
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };

function run(command: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

async function seed(): Promise<boolean> {
  const proxy = await getPlatformProxy<Env>({ configPath: 'wrangler.toml', persist: { path: `${state}/v3` } });
  try {
    return await seedDemoDistrict(proxy.env.DB);
  } finally {
    await proxy.dispose();
  }
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
  await run('astro', ['build', '--root', 'site', '--silent']);
  await run('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state]);
  const seeded = await seed();
  console.log(
    seeded
      ? 'Seeded the demo district into the empty local database.'
      : 'Local database already has data: not seeding.',
  );

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
      `  Open survey (demo spring campaign):   ${origin}/survey/?c=${SPRING_CAMPAIGN_ID}`,
      `  Director's dashboard (fall campaign): ${origin}/dashboard/?c=${FALL_CAMPAIGN_ID}`,
      `  Competency framework:                 ${origin}/framework/`,
      `  Co-design boards:                     ${origin}/boards/`,
      `  Sign in:                              ${origin}/sign-in/`,
      `    as ${DEMO_ACCOUNTS.map((account) => `${account.email} (${account.roles.join(', ')})`).join(', ')};`,
      `    the sign-in link is printed here and kept at ${origin}/dev/outbox`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
