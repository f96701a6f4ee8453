/**
 * Names, in each built page's <head>, every script its islands need at once, as
 * `<link rel="modulepreload">`: the browser then fetches them all with the page instead of
 * one level of imports at a time (the island loader, after the stylesheets, imports the
 * component, whose imports are only found once it has arrived, and so on). On a phone's
 * connection each level costs a round trip before the page can ask the API for its figures.
 *
 * Only what is imported statically, and only for islands that start at once (`client:load`) and
 * their renderer: a dynamic import (the chart library) is left to load when it is asked for,
 * and an island that waits (`client:idle`, `client:visible`) keeps waiting.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { init, parse } from 'es-module-lexer';
import { htmlFiles } from './security-headers';

/** The scripts `entry` (a site path such as /_astro/Focuses.abc.js) imports statically, itself first, each once. */
export async function staticImports(entry: string, read: (path: string) => Promise<string>): Promise<string[]> {
  await init;
  const found: string[] = [];
  const visit = async (path: string) => {
    if (found.includes(path)) return;
    found.push(path);
    const [imports] = parse(await read(path));
    for (const specifier of imports) {
      // d === -1: a static import or export-from; anything else is import() or import.meta.
      if (specifier.d !== -1 || !specifier.n?.startsWith('.')) continue;
      await visit(posix.join(posix.dirname(path), specifier.n));
    }
  };
  await visit(entry);
  return found;
}

/** The scripts the page's islands that hydrate at once start from: their components and renderers. */
export function islandEntries(html: string): string[] {
  const entries = new Set<string>();
  for (const [tag] of html.matchAll(/<astro-island\b[^>]*>/g)) {
    if (!/\sclient="load"/.test(tag)) continue;
    for (const [, url] of tag.matchAll(/\s(?:component|renderer)-url="([^"]+)"/g)) if (url) entries.add(url);
  }
  return [...entries];
}

export default function modulePreload(): AstroIntegration {
  return {
    name: 'homegrown:module-preload',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const sources = new Map<string, Promise<string>>();
        const read = (path: string) => {
          let source = sources.get(path);
          if (!source) {
            source = readFile(join(root, path), 'utf8');
            sources.set(path, source);
          }
          return source;
        };
        let pages = 0;
        for (const file of await htmlFiles(root)) {
          const html = await readFile(file, 'utf8');
          const scripts = new Set<string>();
          for (const start of islandEntries(html))
            for (const path of await staticImports(start, read)) scripts.add(path);
          if (scripts.size === 0) continue;
          const links = [...scripts].map((path) => `<link rel="modulepreload" href="${path}">`).join('');
          await writeFile(file, html.replace('</head>', `${links}</head>`));
          pages++;
        }
        logger.info(`modulepreload links written into ${pages} pages`);
      },
    },
  };
}
