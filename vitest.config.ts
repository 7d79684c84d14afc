import { defineConfig } from 'vitest/config';

// Many tests drive real programs (control planes, CoreDNS, PowerDNS, the MetalLB controller) whose
// timings stretch on a loaded 2-core CI machine. A test that waits on purpose sets its own timeout;
// this default only keeps a slow machine from failing a short test that is otherwise right.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
