import svelte from '@astrojs/svelte';
import { defineConfig } from 'astro/config';
import securityHeaders from './integrations/security-headers';

// A fully static site: the Worker serves dist/ as assets and answers /api itself.
export default defineConfig({
  outDir: '../dist',
  output: 'static',
  integrations: [svelte(), securityHeaders()],
  build: { inlineStylesheets: 'never' },
  vite: { server: { fs: { allow: ['..'] } } },
});
