import { defineConfig } from 'vitest/config';

/**
 * Two speeds. `unit`: the pure tests (`*.unit.test.ts`): synthesis, validation, constructs, manifests,
 * imports; nothing but node and the npm packages, no root, no Go build, no Debian package, no process
 * started (test/layers/unit-project.unit.test.ts keeps it so). `npm run test:unit` runs them alone, in
 * seconds. `components` and `lab`: the tests of real programs (control planes, CoreDNS, PowerDNS,
 * external-dns, MetalLB, CNI plugins in network namespaces, Argo CD, real nodes); `npm test` runs all.
 */
export const UNIT_TESTS = 'test/**/*.unit.test.ts';
const lab = 'test/lab/**/*.test.ts';

// Many real-program tests drive programs whose timings stretch on a loaded 2-core CI machine. A test
// that waits on purpose sets its own timeout; this default only keeps a slow machine from failing a
// short test that is otherwise right.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      // Pure tests share one module graph per worker (no isolation): collecting cdk8s once is most of their time.
      { extends: true, test: { name: 'unit', include: [UNIT_TESTS], isolate: false } },
      { extends: true, test: { name: 'components', include: ['test/**/*.test.ts'], exclude: [UNIT_TESTS, lab] } },
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
