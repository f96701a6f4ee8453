/**
 * Mailed links are built from PUBLIC_ORIGIN, never from the request: a security test sent
 * `POST /api/auth/sign-in-link` with `Host: evil.example` and the mail linked to evil.example.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import app from '../src/index';
import { db, signedIn } from './helpers';

const send = (url: string, body: unknown, bindings: object = env) =>
  app.request(
    url,
    {
      method: 'POST', // Its own caller address, so other tests' sign-ins do not count toward its limit.
      headers: {
        'Content-Type': 'application/json',
        'CF-Connecting-IP': `198.51.100.${Math.floor(Math.random() * 250)}`,
      },
      body: JSON.stringify(body),
    },
    bindings,
  );

async function mailsTo(email: string): Promise<string[]> {
  const { results } = await db()
    .prepare('SELECT body FROM dev_outbox WHERE recipient = ? ORDER BY id')
    .bind(email)
    .all<{ body: string }>();
  return results.map((row) => row.body);
}

describe('links in mail', () => {
  it('point at PUBLIC_ORIGIN whatever host the request named', async () => {
    const { email } = await signedIn(['director'], `host-${crypto.randomUUID()}@district.example`);
    const res = await send('http://evil.example/api/auth/sign-in-link', { email });
    expect(res.status).toBe(202);
    const [mail] = await mailsTo(email);
    expect(mail).toContain('http://127.0.0.1:8787/sign-in/complete/#token=');
    expect(mail).not.toContain('evil.example');
  });

  it('are not sent at all where PUBLIC_ORIGIN is not configured: 503, and no mail', async () => {
    const { email } = await signedIn(['director'], `unset-${crypto.randomUUID()}@district.example`);
    const res = await send(
      'http://evil.example/api/auth/sign-in-link',
      { email },
      { ...env, PUBLIC_ORIGIN: undefined },
    );
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PUBLIC_ORIGIN_NOT_CONFIGURED');
    expect(await mailsTo(email)).toEqual([]);
  });
});
