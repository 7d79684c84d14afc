import { defineConfig } from 'vitest/config';

// Many tests drive real programs (control planes, CoreDNS, PowerDNS, the MetalLB controller) whose
// timings stretch on a loaded 2-core CI machine. A test that waits on purpose sets its own timeout;
// this default only keeps a slow machine from failing a short test that is otherwise right.
const lab = 'test/lab/**/*.test.ts';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'components', include: ['test/**/*.test.ts'], exclude: [lab] } },
      // Real nodes share one host-wide lab bridge and the host's kubelet settings, so the lab's files
      // run one after another, in one process, after every other test has finished.
      {
        extends: true,
        test: {
          name: 'lab',
          include: [lab],
          sequence: { groupOrder: 1 },
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
