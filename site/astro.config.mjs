import svelte from '@astrojs/svelte';
import { defineConfig } from 'astro/config';
import { compiledWasm } from './integrations/compiled-wasm';
import modulePreload from './integrations/module-preload';
import securityHeaders from './integrations/security-headers';

// A fully static site: the Worker serves dist/ as assets and answers /api itself.
export default defineConfig({
  outDir: '../dist',
  output: 'static',
  integrations: [svelte(), modulePreload(), securityHeaders()],
  // The site's own styles (a few kB each) go inside each page, so a phone paints without waiting for
  // another request; only the large ones (SurveyJS's, Swagger UI's) stay files of their own.
  build: { inlineStylesheets: 'auto' },
  vite: {
    plugins: [compiledWasm],
    server: { fs: { allow: ['..'] } },
    build: { assetsInlineLimit: 20 * 1024 },
  },
});
