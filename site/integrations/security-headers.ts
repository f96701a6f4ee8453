/**
 * Writes dist/_headers, which Workers Static Assets apply to every page it serves: a
 * Content-Security-Policy that allows exactly the inline scripts Astro emitted (its island
 * loaders), and the usual hardening headers.
 *
 * Astro's own `security.csp` is not used: it puts the policy in a <meta> tag, where
 * frame-ancestors is ignored, so a header would still be needed, and two policies would have
 * to be kept in step. Hashing the built HTML here keeps a single policy, in one place.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

// SurveyJS, Svelte transitions and Observable Plot set style attributes at run time,
// which hashes cannot cover, so styles keep 'unsafe-inline'. Scripts never do.
const policy = (scriptHashes: string[]) =>
  [
    "default-src 'self'",
    ["script-src 'self'", ...scriptHashes.map((hash) => `'${hash}'`)].join(' '),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

const HEADERS = {
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

// Workers Static Assets refuses a _headers line longer than this.
const MAX_LINE = 2000;

/** Every built page. */
export async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((e) => join(e.parentPath, e.name));
}

/** sha256 of every inline script, and any inline event handler (which no hash can allow). */
export function inspectHtml(html: string): { hashes: string[]; handlers: string[] } {
  const hashes: string[] = [];
  for (const [, attributes = '', body = ''] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\ssrc\s*=/i.test(attributes)) continue;
    hashes.push(`sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}`);
  }
  const handlers = [...html.matchAll(/<[a-z][^>]*?\s(on[a-z]+)\s*=/gi)].map((match) => match[1] ?? '');
  return { hashes, handlers };
}

export default function securityHeaders(): AstroIntegration {
  return {
    name: 'homegrown:security-headers',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const hashes = new Set<string>();
        for (const file of await htmlFiles(root)) {
          const found = inspectHtml(await readFile(file, 'utf8'));
          if (found.handlers.length > 0) {
            throw new Error(`${file} has inline event handlers (${found.handlers.join(', ')}); the CSP blocks them`);
          }
          for (const hash of found.hashes) hashes.add(hash);
        }
        const lines = Object.entries({ 'Content-Security-Policy': policy([...hashes].sort()), ...HEADERS }).map(
          ([name, value]) => `  ${name}: ${value}`,
        );
        const tooLong = lines.find((line) => line.length > MAX_LINE);
        if (tooLong) throw new Error(`a _headers line is longer than ${MAX_LINE} characters: ${tooLong.slice(0, 80)}…`);
        await writeFile(join(root, '_headers'), `/*\n${lines.join('\n')}\n`);
        logger.info(`_headers written, allowing ${hashes.size} inline script hashes`);
      },
    },
  };
}
