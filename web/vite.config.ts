// Builds the web UI into web/dist (run from the repo root: vite build --config web/vite.config.ts).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webDir = fileURLToPath(new URL('.', import.meta.url));
// The API server during development (npm start listens here by default).
const apiTarget = process.env['ATTACHE_API_URL'] ?? 'http://localhost:8080';

export default defineConfig({
  root: webDir,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: { proxy: { '/api': apiTarget } },
  preview: { proxy: { '/api': apiTarget } },
});
