import { defineConfig } from 'vitest/config';

// Leak tests need a real gc() and real timers, and must not share a heap with other
// files: forks give each test file its own process, --expose-gc gives gc().
export default defineConfig({
  test: {
    include: ['harness/**/*.test.ts', 'scenarios/**/*.test.ts'],
    pool: 'forks',
    execArgv: ['--expose-gc', '--disable-warning=ExperimentalWarning'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
