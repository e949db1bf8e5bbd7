// Runs the chart through the real helm binary (built by packages/testenv) and parses what it renders.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { bin } from '@eevee/testenv';
import { CHARTS_DIR } from '../src/generated-files.ts';

export const CHART = join(CHARTS_DIR, 'eevee');
export const CONTROLLERS = [
  'module-controller',
  'ipc-controller',
  'backup-controller',
  'api-gateway',
] as const;

export interface Rendered {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
}

/** `helm <args>`; rejects with helm's stderr in the message. */
export async function helm(args: string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(bin('helm'), args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`helm ${args.join(' ')}: ${e.stderr || e.message}`, { cause: err });
  }
}

/** `--set` pairs as helm arguments. */
export const sets = (values: Record<string, string | number | boolean>): string[] =>
  Object.entries(values).flatMap(([k, v]) => ['--set', `${k}=${String(v)}`]);

/** The objects `helm template` renders for these values (release "eevee" in namespace "bots"). */
export async function render(values: Record<string, string | number | boolean> = {}): Promise<Rendered[]> {
  const out = await helm(['template', 'eevee', CHART, '--namespace', 'bots', ...sets(values)]);
  return parseAllDocuments(out)
    .map((d) => d.toJS() as Rendered | null)
    .filter((d): d is Rendered => d !== null);
}

export const find = (objects: Rendered[], kind: string, name: string): Rendered | undefined =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);
