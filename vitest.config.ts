// One vitest run for the whole workspace. Every package and app gets two projects:
//   <name>              unit tests (*.test.ts), no cluster
//   <name>:integration  *.integration.test.ts against the real local cluster from packages/testenv
// All integration projects share one cluster per run (testenv's global setup is reference-counted).
// Tests run from the TypeScript sources; nothing needs to be built first.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const root = import.meta.dirname;
const clusterSetup = join(root, 'packages/testenv/src/global-setup.ts');

function workspaceDirs(): string[] {
  const dirs = ['packages', 'apps'].flatMap((parent) =>
    readdirSync(join(root, parent), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(parent, d.name)),
  );
  return [...dirs, 'charts', 'e2e'].filter((dir) => existsSync(join(root, dir, 'package.json')));
}

function projectsFor(dir: string): TestProjectInlineConfiguration[] {
  const name = dir.split('/').pop() ?? dir;
  return [
    {
      test: {
        name,
        root: join(root, dir),
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
      },
    },
    {
      test: {
        name: `${name}:integration`,
        root: join(root, dir),
        include: ['src/**/*.integration.test.ts', 'test/**/*.integration.test.ts'],
        globalSetup: [clusterSetup],
        testTimeout: 120_000,
        hookTimeout: 180_000,
        // Two cores: test files share one control plane, so a little parallelism is plenty.
        maxWorkers: 2,
      },
    },
  ];
}

export default defineConfig({
  test: {
    projects: workspaceDirs().flatMap(projectsFor),
    // CI reads reports/vitest.json for its "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: join(root, 'reports', 'vitest.json') },
  },
});
