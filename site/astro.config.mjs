import svelte from '@astrojs/svelte';
import { defineConfig } from 'astro/config';

// A fully static site: the Worker serves dist/ as assets and answers /api itself.
export default defineConfig({
  outDir: '../dist',
  output: 'static',
  integrations: [svelte()],
  build: { inlineStylesheets: 'never' },
  vite: { server: { fs: { allow: ['..'] } } },
});
