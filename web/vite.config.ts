/// <reference types="vitest/config" />
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { VitePWA } from 'vite-plugin-pwa';
import { compileCircuitValidator } from './scripts/circuit-validator.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const wasmSrc = here('../wasm/src');
// The page-side wasm engine (wasm/src/engine.ts) is built by another part of
// the repo. Until it exists the alias points at a stand-in that reports
// "engine not built" at run time, so the app still builds and loads.
const wasmEngine = existsSync(`${wasmSrc}/engine.ts`)
  ? `${wasmSrc}/engine.ts`
  : here('./src/shared/engine/wasm-unavailable.ts');

// The gRPC stubs (src/gen/, not committed) are generated before anything
// else: npm's pre* scripts do it too, this covers a bare `npx vitest` / `vite`.
const genProto = {
  name: 'simcore-gen-proto',
  config() {
    execFileSync(process.execPath, [here('./scripts/gen-proto.mjs')], { stdio: 'inherit' });
  },
};

// The circuit-model validator (src/features/files/document.ts): ajv compiles
// schema/circuit.schema.json into standalone code at build time (no schema
// compilation, no eval in the browser), imported as a virtual module.
const circuitValidator: Plugin = {
  name: 'simcore-circuit-validator',
  resolveId(id: string) {
    return id === 'virtual:simcore-circuit-validator' ? '\0virtual:simcore-circuit-validator' : undefined;
  },
  load(id) {
    if (id !== '\0virtual:simcore-circuit-validator') return undefined;
    const file = here('../schema/circuit.schema.json');
    this.addWatchFile(file);
    return compileCircuitValidator(JSON.parse(readFileSync(file, 'utf8')));
  },
};

// `npm run dev` talks to a local `simcore serve --http-port 8080` through this
// proxy (same origin, so the RemoteEngine's default base URL works).
const serverUrl = process.env.SIMCORE_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  resolve: {
    alias: [
      { find: '@simcore/wasm/engine', replacement: wasmEngine },
      { find: '@simcore/wasm', replacement: wasmSrc },
      { find: '@', replacement: here('./src') },
    ],
  },
  server: {
    fs: { allow: [here('..')] },
    proxy: {
      '/simcore.v1.Simulator': { target: serverUrl, changeOrigin: true },
      '/healthz': { target: serverUrl, changeOrigin: true },
    },
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 1500 },
  plugins: [
    genProto,
    circuitValidator,
    react(),
    tailwindcss(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      includeAssets: ['icon.svg', 'icon-192.png', 'icon-512.png'],
      manifest: {
        name: 'simcore circuit simulator',
        short_name: 'simcore',
        description: 'SPICE-class circuit simulation in the browser, offline',
        theme_color: '#0f172a',
        background_color: '#f1f5f9',
        display: 'standalone',
        start_url: '.',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,wasm,webmanifest}'],
        maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
        navigateFallback: 'index.html',
        // The server's own routes on the same origin are never the app.
        navigateFallbackDenylist: [/^\/healthz/, /^\/metrics/, /^\/simcore\.v1\./],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
