import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // No test reaches for the network: benchmark data comes from test/fixtures/data, and a missing file fails at once
    // ("downloads are off") instead of trying the Hugging Face hub. The one download test serves its own hub.
    env: { YARDSTICK_OFFLINE: '1' },
  },
});
