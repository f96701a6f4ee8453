import { describe, expect, it } from 'vitest';
import { islandEntries, staticImports } from '../integrations/module-preload';

describe('the scripts a page preloads', () => {
  it('follows static imports and re-exports, each once, and leaves dynamic imports to load when asked', async () => {
    const files: Record<string, string> = {
      '/_astro/Page.js':
        'import{a as x}from"./api.js";import"./style.js";const c=()=>import("./charts.js");export{x,c};',
      '/_astro/api.js': 'export*from"./format.js";import{p}from"./Page.js";export const a=p;',
      '/_astro/format.js': 'const u=import.meta.url;export const f=1;',
      '/_astro/style.js': 'import"./format.js";',
      '/_astro/charts.js': 'import"./plot.js";',
    };
    const read = async (path: string) => {
      const source = files[path];
      if (source === undefined) throw new Error(`${path} was read`);
      return source;
    };
    expect(await staticImports('/_astro/Page.js', read)).toEqual([
      '/_astro/Page.js',
      '/_astro/api.js',
      '/_astro/format.js',
      '/_astro/style.js',
    ]);
  });

  it('starts from the islands that hydrate at once, with their renderer, not from those that wait', () => {
    const html = [
      '<astro-island uid="a" component-url="/_astro/AccountMenu.js" renderer-url="/_astro/client.svelte.js" client="idle">',
      '</astro-island>',
      '<astro-island uid="b" component-url="/_astro/Focuses.js" component-export="default" renderer-url="/_astro/client.svelte.js" props="{}" ssr client="load">',
      '</astro-island>',
      '<astro-island uid="c" component-url="/_astro/Later.js" renderer-url="/_astro/client.svelte.js" client="visible">',
    ].join('');
    expect(islandEntries(html)).toEqual(['/_astro/Focuses.js', '/_astro/client.svelte.js']);
  });
});
