// Builds an app's entry point the way the apps' `pnpm build` scripts do (esbuild: one ESM file for Node 24, with a
// `require` for the CommonJS dependencies), so benchmarks measure what the images run.
import { build } from 'esbuild';

export async function bundleApp(entryPoint: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entryPoint],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile,
    logLevel: 'warning',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
}
