/**
 * Where to send a person after signing in: only a path on this site. Anything else (an
 * absolute URL, a protocol-relative `//host`, a backslash trick) becomes the home page,
 * so a crafted link cannot bounce someone to another site.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > 2000 || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) {
    return '/';
  }
  return /^[\x21-\x7e]*$/.test(next) ? next : '/';
}
