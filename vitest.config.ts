import { defineConfig } from 'vitest/config';

// Three projects, one per layer: `npm run test:unit` is the fast loop (pure logic and Ink views,
// no sockets, no child processes); integration starts real servers and processes; e2e drives the
// compiled binary in tmux (both need `npm run build` first). `npm test` builds and runs all three.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start real servers (Prometheus, tmux): keep files on two workers.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.{ts,tsx}'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.{ts,tsx}'] } },
    ],
  },
});
