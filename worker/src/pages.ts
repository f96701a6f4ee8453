/**
 * Pages the Worker answers before the static files: the signed-in pages, which it guards
 * by role, and the local outbox of `wrangler dev`. The pages hold no data themselves (the
 * API guards that); guarding them too sends a signed-out person to sign in at once
 * instead of showing an empty shell.
 */
import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import { isDevOutboxOn, type MailConfig } from './auth/mailer';
import type { Role } from './auth/roles';
import { type AppEnv, loadSession } from './auth/session';
import type { Account } from './db/accounts';
import { listBoards } from './db/boards';
import { latestOutboxMail } from './db/outbox';
import { offeredPages, STAFF_PAGES } from './domain/navigation';
import { apiSecurityHeaders, pageSecurityHeaders } from './http';

/** Who may see it decides the answer, so no cache may keep one person's for another. */
function personal(page: Response, status = page.status): Response {
  const response = new Response(page.body, { status, headers: page.headers });
  response.headers.set('Cache-Control', 'private, no-store');
  return response;
}

/**
 * The page with the header's links already right for this account (`data-pages` on <html>, as
 * lib/navigation.ts sets them from the session), so the header does not grow under the reader
 * once the page has asked who is signed in.
 */
async function withPagesOffered(c: Context<AppEnv>, account: Account, page: Response): Promise<Response> {
  if (!page.headers.get('Content-Type')?.startsWith('text/html')) return page;
  // Only an account without a role is offered the boards by how many it belongs to.
  const boards = account.roles.length > 0 ? 0 : (await listBoards(c.env.DB, account.id, false)).length;
  const offered = offeredPages({ roles: account.roles, boards }).join(' ');
  const rewritten = new HTMLRewriter()
    .on('html', {
      element(root) {
        root.setAttribute('data-signed-in', '');
        root.setAttribute('data-pages', offered);
      },
    })
    .transform(page);
  // The body is this account's now: no tag or length of the file it came from.
  const response = new Response(rewritten.body, rewritten);
  response.headers.delete('ETag');
  response.headers.delete('Content-Length');
  return response;
}

/** A page for accounts holding one of these roles; with none named, for any signed-in account (boards check membership in the API). */
function guardPage(...roles: Role[]) {
  return async (c: Context<AppEnv>) => {
    const signedIn = c.get('signedIn');
    if (!signedIn) {
      const url = new URL(c.req.url);
      c.header('Cache-Control', 'private, no-store');
      return c.redirect(`/sign-in/?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
    }
    if (roles.length > 0 && !roles.some((role) => signedIn.account.roles.includes(role))) {
      const refused = await c.env.ASSETS.fetch(new URL('/403/', c.req.url));
      return personal(await withPagesOffered(c, signedIn.account, refused), 403);
    }
    return personal(await withPagesOffered(c, signedIn.account, await c.env.ASSETS.fetch(c.req.raw)));
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** The outbox page shows this many of the newest messages. */
const OUTBOX_PAGE_MAIL = 50;

/** Under `wrangler dev` only: the mail a deployed build would have sent, newest first. */
async function devOutboxPage(c: Context<AppEnv>) {
  if (!isDevOutboxOn(c.env as Env & MailConfig) || !LOOPBACK.has(new URL(c.req.url).hostname)) return c.notFound();
  const results = await latestOutboxMail(c.env.DB, OUTBOX_PAGE_MAIL);
  const linked = (body: string) =>
    body.split(/(https?:\/\/\S+)/).map((part, i) => (i % 2 === 1 ? html`<a href="${part}">${part}</a>` : part));
  return c.html(html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Local outbox · Homegrown</title>
      </head>
      <body>
        <main>
          <h1>Local outbox</h1>
          <p>Under <code>wrangler dev</code> no email is sent; this is what would have been. A deployed build has no such page.</p>
          ${
            results.length === 0
              ? html`<p>No mail yet.</p>`
              : results.map(
                  (mail) => html`<article>
                    <h2>${mail.subject}</h2>
                    <p>To ${mail.recipient}, ${mail.at}</p>
                    <pre>${linked(mail.body)}</pre>
                  </article>`,
                )
          }
        </main>
      </body>
    </html>`);
}

// Every answer about a guarded page carries the security headers: the redirect to sign in
// has none of its own, and the page and the 403 page keep those their `_headers` rules give.
// The pages of the navigation are guarded by the very list that decides who is offered them.
export const pages = new Hono<AppEnv>().use(loadSession);
for (const { path, roles } of STAFF_PAGES) pages.get(`${path}*`, pageSecurityHeaders, guardPage(...roles));
pages.get('/board/*', pageSecurityHeaders, guardPage()).get('/dev/outbox', apiSecurityHeaders, devOutboxPage);
