/**
 * `npm run admin -- invite <email> --role <role> …`: gives someone an account (or more
 * roles, or their disabled account back) and prints a sign-in link for them. Nobody has to
 * be signed in and no mail has to work, which is how a district's first admin gets in;
 * whoever can run wrangler against the database is trusted already.
 *
 * Everything it changes is one SQL file that decides for itself whether the account exists,
 * so it is the same file for the local database and the deployed one (`--remote`), and the
 * audit log says what the command line did.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ROLES, type Role } from '../worker/src/auth/roles';
import { hashToken, newToken } from '../worker/src/auth/tokens';

const SIGN_IN_LINK_MINUTES = 15;
const ACTOR = 'command line';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `Usage: npm run admin -- invite <email> --role <role> [--role <role>] [--name "Full Name"] [--remote] [--url <origin>]

Creates the account, or adds the roles to an existing one (ending its sessions, and enabling
it again if it was disabled), then prints a sign-in link that works once, within
${SIGN_IN_LINK_MINUTES} minutes.

  --role <role>   ${ROLES.join(', ')}; repeat it to give several
  --name <name>   the person's name, as others will see it
  --remote        change the deployed database instead of the local one
  --url <origin>  where people open Homegrown, for the link (or set HOMEGROWN_URL);
                  required with --remote, locally http://127.0.0.1:8787 by default

The local database is the one \`npm start\` uses (HOMEGROWN_STATE, else .wrangler/state).`;

/** A mistake in how the command was called: exit code 2, as shells expect of misuse. */
class UsageError extends Error {}

interface Invitation {
  email: string;
  roles: Role[];
  name: string | null;
  remote: boolean;
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
  const url = values.url ?? env.HOMEGROWN_URL;
  if (remote && !url) {
    throw new UsageError('With --remote, give --url (or set HOMEGROWN_URL): the address people open Homegrown at.');
  }
  return { email, roles, name: name || null, remote, origin: originOf(url ?? `http://127.0.0.1:${env.PORT ?? 8787}`) };
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

/** A SQL string literal: the only character to escape inside one is the quote, by doubling it. */
function sqlText(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The statements, in order. Each is guarded by the account's state as it runs, so the audit
 * entries are written before the changes they describe, while "does it exist, which roles,
 * is it disabled" still reads as it was.
 */
function invitationSql(invitation: Invitation, link: { tokenHash: string; createdAt: string; expiresAt: string }) {
  const email = sqlText(invitation.email);
  const roles = sqlText(JSON.stringify(invitation.roles));
  const now = sqlText(link.createdAt);
  const actor = sqlText(ACTOR);
  const account = `SELECT id FROM accounts WHERE email = ${email}`;
  const audit = 'INSERT INTO audit_log (at, actor_id, actor, action, target, detail)';
  return `-- Written by scripts/admin.ts.
${audit}
SELECT ${now}, NULL, ${actor}, 'account.create', ${email}, json_object('roles', json(${roles}))
WHERE NOT EXISTS (${account});

${audit}
SELECT ${now}, NULL, ${actor}, 'account.roles', a.email, json_object(
  'from', (SELECT json_group_array(role) FROM (SELECT role FROM account_roles WHERE account_id = a.id ORDER BY role)),
  'to', (SELECT json_group_array(role) FROM (
    SELECT role FROM account_roles WHERE account_id = a.id UNION SELECT value FROM json_each(${roles}) ORDER BY 1)))
FROM accounts a
WHERE a.email = ${email}
  AND EXISTS (SELECT 1 FROM json_each(${roles}) WHERE value NOT IN (SELECT role FROM account_roles WHERE account_id = a.id));

${audit}
SELECT ${now}, NULL, ${actor}, 'account.enable', email, '{}' FROM accounts WHERE email = ${email} AND disabled_at IS NOT NULL;

INSERT INTO accounts (id, email, name, created_at)
VALUES (${sqlText(crypto.randomUUID())}, ${email}, ${sqlText(invitation.name ?? '')}, ${now})
ON CONFLICT (email) DO NOTHING;
${invitation.name === null ? '' : `UPDATE accounts SET name = ${sqlText(invitation.name)} WHERE email = ${email};\n`}UPDATE accounts SET disabled_at = NULL WHERE email = ${email} AND disabled_at IS NOT NULL;
-- New roles end every session the account has: whoever holds one signs in again.
DELETE FROM sessions WHERE account_id IN (
  SELECT a.id FROM accounts a WHERE a.email = ${email}
    AND EXISTS (SELECT 1 FROM json_each(${roles}) WHERE value NOT IN (SELECT role FROM account_roles WHERE account_id = a.id)));
INSERT OR IGNORE INTO account_roles (account_id, role) SELECT a.id, r.value FROM accounts a, json_each(${roles}) r WHERE a.email = ${email};

INSERT INTO sign_in_links (token_hash, account_id, created_at, expires_at)
SELECT ${sqlText(link.tokenHash)}, id, ${now}, ${sqlText(link.expiresAt)} FROM accounts WHERE email = ${email};
${audit}
SELECT ${now}, NULL, ${actor}, 'sign_in_link.issued', ${email}, json_object('expiresAt', ${sqlText(link.expiresAt)});

SELECT action, detail FROM audit_log WHERE at = ${now} AND actor = ${actor} AND target = ${email} ORDER BY id;
`;
}

function wrangler(args: string[]): Promise<string> {
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
        ? done(stdout)
        : fail(
            new Error(`wrangler ${args.slice(0, 3).join(' ')} failed (exit ${code}):\n${(stderr || stdout).trim()}`),
          ),
    );
  });
}

/** What the audit log says the command did, when wrangler reports the final query's rows (it does locally). */
function whatHappened(output: string): Array<{ action: string; detail: string }> {
  try {
    const results = JSON.parse(output) as Array<{ results?: Array<{ action?: string; detail?: string }> }>;
    const rows = results.at(-1)?.results ?? [];
    return rows.filter((row): row is { action: string; detail: string } => typeof row.action === 'string');
  } catch {
    return [];
  }
}

function summary(invitation: Invitation, done: Array<{ action: string; detail: string }>): string {
  const who = invitation.email;
  const lines: string[] = [];
  for (const { action, detail } of done) {
    const parsed = JSON.parse(detail) as { roles?: string[]; from?: string[]; to?: string[] };
    if (action === 'account.create') lines.push(`Created an account for ${who} (${parsed.roles?.join(', ')}).`);
    if (action === 'account.roles') {
      lines.push(`${who} now has the roles ${parsed.to?.join(', ')} (before: ${parsed.from?.join(', ') || 'none'}).`);
      // Only ever an existing account's entry (a new one's is account.create).
      lines.push(`Any session ${who} had is ended: they sign in again to use the new roles.`);
    }
    if (action === 'account.enable') lines.push(`${who} was disabled and is enabled again.`);
  }
  if (done.length > 0 && lines.length === 0) lines.push(`${who} already had an enabled account with these roles.`);
  if (done.length === 0)
    lines.push(`${who} has an enabled account with at least the roles ${invitation.roles.join(', ')}.`);
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
  const sql = invitationSql(invitation, {
    tokenHash: await hashToken(token),
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
  });

  const folder = mkdtempSync(join(tmpdir(), 'homegrown-admin-'));
  const file = join(folder, 'invite.sql');
  let output: string;
  try {
    writeFileSync(file, sql);
    let where: string[];
    if (invitation.remote) {
      where = ['--remote'];
    } else {
      const state = resolve(process.env.HOMEGROWN_STATE ?? '.wrangler/state');
      where = ['--local', '--persist-to', state];
      // As `npm start` does, so an admin can be made before the app has ever run.
      await wrangler(['d1', 'migrations', 'apply', 'DB', ...where]);
    }
    output = await wrangler(['d1', 'execute', 'DB', ...where, '--file', file, '--yes', '--json']);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }

  const link = `${invitation.origin}/sign-in/complete/#token=${token}`;
  const until = expiresAt.toISOString().slice(11, 16);
  console.log(
    [
      summary(invitation, whatHappened(output)),
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
