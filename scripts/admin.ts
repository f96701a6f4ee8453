/**
 * `npm run admin -- invite <email> --role <role> …`: gives someone an account (or more
 * roles, or their disabled account back) and prints a sign-in link for them. Nobody has to
 * be signed in and no mail has to work, which is how a district's first admin gets in;
 * whoever can run wrangler against the database is trusted already.
 *
 * It writes through the Worker's own statements in worker/src/db/, in one batch, on a D1
 * binding from wrangler's getPlatformProxy: the local database `npm start` uses, or the
 * deployed one (`--remote`, through wrangler's remote bindings). The audit log says what
 * the command line did, as it does for a change an admin makes in the app.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getPlatformProxy, type PlatformProxy, unstable_readConfig } from 'wrangler';
import { z } from 'zod';
import { ROLES, type Role } from '../worker/src/auth/roles';
import { hashToken, newToken } from '../worker/src/auth/tokens';
import {
  accountByEmail,
  enableAccountStatement,
  insertAccountStatements,
  insertSignInLinkStatement,
  renameAccountStatement,
  rolesChangedStatements,
  setRolesStatements,
} from '../worker/src/db/accounts';
import { type AuditEntry, auditStatement } from '../worker/src/db/audit';
import { localState } from './local-state';

const SIGN_IN_LINK_MINUTES = 15;
const ACTOR = { actorId: null, actor: 'command line' } satisfies Pick<AuditEntry, 'actorId' | 'actor'>;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG = join(ROOT, 'wrangler.toml');
const USAGE = `Usage: npm run admin -- invite <email> --role <role> [--role <role>] [--name "Full Name"] [--remote] [--url <origin>]

Creates the account, or adds the roles to an existing one (ending its sessions, and enabling
it again if it was disabled), then prints a sign-in link that works once, within
${SIGN_IN_LINK_MINUTES} minutes.

  --role <role>   ${ROLES.join(', ')}; repeat it to give several
  --name <name>   the person's name, as others will see it
  --district      the local database of a real district (npm start -- --district), not the demo's
  --remote        change the deployed database instead of the local one
  --url <origin>  where people open Homegrown, for the link (or set HOMEGROWN_URL);
                  required with --remote, locally http://127.0.0.1:8787 by default

The local database is the one \`npm start\` uses: .wrangler/state for the demo district,
.wrangler/district with --district, or the folder HOMEGROWN_STATE names.`;

/** A mistake in how the command was called: exit code 2, as shells expect of misuse. */
class UsageError extends Error {}

interface Invitation {
  email: string;
  roles: Role[];
  name: string | null;
  remote: boolean;
  /** The local database's folder (unused with --remote). */
  state: string;
  origin: string;
}

function parseCommand(argv: string[], env: NodeJS.ProcessEnv): Invitation | 'help' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const [command, address, ...extra] = positionals;
  if (command !== 'invite') {
    throw new UsageError(command ? `Unknown command "${command}"; the only one is invite.` : 'Say what to do: invite.');
  }
  if (!address) throw new UsageError('Give the email address of the person to invite.');
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}"; invite one person at a time.`);
  const email = address.trim().toLowerCase();
  if (email.length > 254 || !z.email().safeParse(email).success) {
    throw new UsageError(`"${address}" is not an email address.`);
  }

  const asked = values.role ?? [];
  if (asked.length === 0) throw new UsageError(`Give at least one --role: ${ROLES.join(', ')}.`);
  const unknown = asked.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) {
    throw new UsageError(`"${unknown[0]}" is not a role; the roles are ${ROLES.join(', ')}.`);
  }
  const roles = ROLES.filter((role) => asked.includes(role));

  const name = values.name?.trim() ?? null;
  if (name !== null && (name.length > 200 || /\p{Cc}/u.test(name))) {
    throw new UsageError('The name must be at most 200 characters, on one line.');
  }

  const remote = values.remote ?? false;
  if (remote && values.district)
    throw new UsageError('--district names a local database; --remote the deployed one. Give one.');
  const url = values.url ?? env.HOMEGROWN_URL;
  if (remote && !url) {
    throw new UsageError('With --remote, give --url (or set HOMEGROWN_URL): the address people open Homegrown at.');
  }
  return {
    email,
    roles,
    name: name || null,
    remote,
    state: localState(values.district ?? false, env),
    origin: originOf(url ?? `http://127.0.0.1:${env.PORT ?? 8787}`),
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      role: { type: 'string', multiple: true },
      name: { type: 'string' },
      remote: { type: 'boolean' },
      district: { type: 'boolean' },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function originOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`"${url}" is not a web address; give one like https://pd.district.example.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UsageError(`"${url}" is not a web address; give one like https://pd.district.example.`);
  }
  return parsed.origin;
}

/** What the command did, as the audit log records it. */
type Done = Pick<AuditEntry, 'action' | 'detail'>;

/**
 * The batch that invites them, made of the statements the accounts and sign-in routes use
 * for the same changes, decided from the account as it is now; and the audit entries it
 * writes. Roles are only ever added here: taking one away is the admin page's job.
 */
async function invitationBatch(
  db: D1Database,
  invitation: Invitation,
  link: { tokenHash: string; createdAt: string; expiresAt: string },
): Promise<{ statements: D1PreparedStatement[]; done: Done[] }> {
  const statements: D1PreparedStatement[] = [];
  const done: Done[] = [];
  const record = (entry: Done) => {
    done.push(entry);
    statements.push(auditStatement(db, { ...ACTOR, ...entry, target: invitation.email }, link.createdAt));
  };

  const account = await accountByEmail(db, invitation.email);
  const accountId = account?.id ?? crypto.randomUUID();
  if (!account) {
    statements.push(
      ...insertAccountStatements(db, {
        id: accountId,
        email: invitation.email,
        name: invitation.name ?? '',
        roles: invitation.roles,
        createdAt: link.createdAt,
      }),
    );
    record({ action: 'account.create', detail: { roles: invitation.roles } });
  } else {
    if (invitation.name !== null && invitation.name !== account.name) {
      statements.push(renameAccountStatement(db, accountId, invitation.name));
    }
    const roles = ROLES.filter((role) => account.roles.includes(role) || invitation.roles.includes(role));
    if (roles.length > account.roles.length) {
      // New roles end every session the account has: whoever holds one signs in again.
      statements.push(...setRolesStatements(db, accountId, roles), ...rolesChangedStatements(db, accountId));
      record({ action: 'account.roles', detail: { from: account.roles, to: roles } });
    }
    if (account.disabled) {
      statements.push(enableAccountStatement(db, accountId));
      record({ action: 'account.enable', detail: {} });
    }
  }
  statements.push(insertSignInLinkStatement(db, { ...link, accountId }));
  record({ action: 'sign_in_link.issued', detail: { expiresAt: link.expiresAt } });
  return { statements, done };
}

function wrangler(args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn('wrangler', args, {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0
        ? done()
        : fail(
            new Error(`wrangler ${args.slice(0, 3).join(' ')} failed (exit ${code}):\n${(stderr || stdout).trim()}`),
          ),
    );
  });
}

/** The local database `npm start` uses, with the migrations it applies, so an admin can be made before the app has ever run. */
async function localDatabase(state: string): Promise<PlatformProxy<Pick<Env, 'DB'>>> {
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state]);
  return getPlatformProxy<Pick<Env, 'DB'>>({ configPath: CONFIG, persist: { path: `${state}/v3` } });
}

/**
 * The deployed database, through wrangler's remote bindings (wrangler's own login or
 * CLOUDFLARE_API_TOKEN). getPlatformProxy makes a binding remote only when its config says
 * so, and wrangler.toml must keep `npm start` local: so the proxy gets a config of its own
 * holding just the DB binding, marked remote, with the deployed database's id (a remote
 * binding would prefer a preview_database_id). wrangler reads that file once, while the
 * proxy starts.
 */
async function remoteDatabase(): Promise<PlatformProxy<Pick<Env, 'DB'>>> {
  // What it reads of wrangler's Config type, whose declarations this wrangler does not ship.
  const config: {
    name?: string;
    account_id?: string;
    compliance_region?: string;
    compatibility_date?: string;
    d1_databases: Array<{ binding: string; database_name?: string; database_id?: string }>;
  } = unstable_readConfig({ config: CONFIG });
  const db = config.d1_databases.find((database) => database.binding === 'DB');
  if (!db?.database_id) throw new Error(`${CONFIG} has no D1 database bound as DB.`);
  const folder = mkdtempSync(join(tmpdir(), 'homegrown-admin-'));
  const remoteConfig = join(folder, 'wrangler.json');
  try {
    writeFileSync(
      remoteConfig,
      JSON.stringify({
        // Which account and region the deployed Worker is in, when wrangler.toml says.
        name: config.name,
        account_id: config.account_id,
        compliance_region: config.compliance_region,
        compatibility_date: config.compatibility_date,
        d1_databases: [{ binding: 'DB', database_name: db.database_name, database_id: db.database_id, remote: true }],
      }),
    );
    return await getPlatformProxy<Pick<Env, 'DB'>>({ configPath: remoteConfig, remoteBindings: true, persist: false });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function summary(invitation: Invitation, done: Done[]): string {
  const who = invitation.email;
  const lines: string[] = [];
  for (const { action, detail } of done) {
    const parsed = detail as { roles?: string[]; from?: string[]; to?: string[] };
    if (action === 'account.create') lines.push(`Created an account for ${who} (${parsed.roles?.join(', ')}).`);
    if (action === 'account.roles') {
      lines.push(`${who} now has the roles ${parsed.to?.join(', ')} (before: ${parsed.from?.join(', ') || 'none'}).`);
      // Only ever an existing account's entry (a new one's is account.create).
      lines.push(`Any session ${who} had is ended: they sign in again to use the new roles.`);
    }
    if (action === 'account.enable') lines.push(`${who} was disabled and is enabled again.`);
  }
  if (lines.length === 0) lines.push(`${who} already had an enabled account with these roles.`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  let invitation: Invitation | 'help';
  try {
    invitation = parseCommand(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE.split('\n')[0]}\n(npm run admin -- --help says what each option does)`);
    return 2;
  }
  if (invitation === 'help') {
    console.log(USAGE);
    return 0;
  }

  const token = newToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000);
  const proxy = invitation.remote ? await remoteDatabase() : await localDatabase(invitation.state);
  let done: Done[];
  try {
    const db = proxy.env.DB;
    const batch = await invitationBatch(db, invitation, {
      tokenHash: await hashToken(token),
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
    await db.batch(batch.statements);
    done = batch.done;
  } finally {
    await proxy.dispose();
  }

  const link = `${invitation.origin}/sign-in/complete/#token=${token}`;
  const until = expiresAt.toISOString().slice(11, 16);
  console.log(
    [
      summary(invitation, done),
      '',
      `Sign-in link for ${invitation.email}: it works once, within ${SIGN_IN_LINK_MINUTES} minutes (until ${until} UTC).`,
      '',
      `  ${link}`,
      '',
      'Anyone with this link can sign in as them: give it to them directly, not in a shared channel.',
    ].join('\n'),
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
