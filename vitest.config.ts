import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

const alias = {
  '@flurfunk/protocol': fileURLToPath(new URL('./protocol/src/index.ts', import.meta.url)),
  '@flurfunk/core': fileURLToPath(new URL('./electron/core/index.ts', import.meta.url)),
  '@flurfunk/server': fileURLToPath(new URL('./server/src/index.ts', import.meta.url)),
  '@': fileURLToPath(new URL('./renderer/src', import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  test: {
    // The integration tests mostly wait on servers, databases and sockets: vitest's default of one
    // core less than the machine has would run them one file at a time on 2 cores.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        plugins: [vue()],
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 15_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/integration/setup/pglite-template.ts'],
          // Each file starts its own servers and cores and cleans up after itself: sharing the
          // loaded modules between files saves importing the server and core again for every
          // file (a fifth of the run on 2 cores).
          isolate: false,
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
