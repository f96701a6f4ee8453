/**
 * Secrets handed to people (sign-in links, session cookies, personal survey links): 256
 * bits from the platform's CSPRNG, given out once and stored only as a SHA-256 hash, so
 * a copy of the database cannot be turned back into a working link or cookie.
 */
const TOKEN_BYTES = 32;

export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/** A token is 43 base64url characters; anything else is refused before any lookup. */
export function looksLikeToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
