// The apps' container images (the Dockerfile at the repository root, one target per app; docs/images.md). No
// Docker engine here and no hadolint from our registries, so the file is checked by dockerfile-utils (the
// validator behind VS Code's Dockerfile support) and by the rules below, read from its text.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { RUNNER_NODE_FLAGS } from '@eevee/backup-runner/node-flags';
import { CONTROLLER_NODE_FLAGS } from '@eevee/module-controller/node-flags';

const root = join(import.meta.dirname, '..', '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string | undefined;
  /** An image reference, or the name of an earlier stage. */
  base: string;
  instructions: Instruction[];
}

/** Instructions with continuation lines joined; comments, blank lines and parser directives dropped. */
function instructions(text: string): Instruction[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  return lines
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

function stages(text: string): Stage[] {
  const result: Stage[] = [];
  for (const instruction of instructions(text)) {
    if (instruction.keyword === 'FROM') {
      const [base = '', as, name] = instruction.args.split(' ').filter((word) => !word.startsWith('--'));
      result.push({ name: as?.toUpperCase() === 'AS' ? name : undefined, base, instructions: [] });
    } else {
      result.at(-1)?.instructions.push(instruction);
    }
  }
  return result;
}

const all = stages(dockerfile);
const stageNamed = (name: string): Stage | undefined => all.find((stage) => stage.name === name);

/** The stages a target's image is made of: the target and the stages it is built on, base first. */
function image(target: string): Stage[] {
  const stage = stageNamed(target);
  if (stage === undefined) throw new Error(`no stage named ${target}`);
  return stageNamed(stage.base) === undefined ? [stage] : [...image(stage.base), stage];
}

/** The arguments of every `keyword` instruction of a target's image, in order. */
function argsOf(target: string, keyword: string): string[] {
  return image(target).flatMap((s) => s.instructions.filter((i) => i.keyword === keyword).map((i) => i.args));
}

/** The V8 flags an app's benchmark runs it with (its src/node-flags.ts); apps without one run plain node. */
const NODE_FLAGS: Record<string, readonly string[]> = {
  'backup-runner': RUNNER_NODE_FLAGS,
  'module-controller': CONTROLLER_NODE_FLAGS,
};

const apps = readdirSync(join(root, 'apps')).filter((app) =>
  existsSync(join(root, 'apps', app, 'package.json')),
);

describe('Dockerfile', () => {
  it('has no problem that dockerfile-utils reports', () => {
    const problems = validate(dockerfile).map(({ range, message }) => {
      const text = typeof message === 'string' ? message : message.value;
      return `line ${range.start.line + 1}: ${text}`;
    });
    expect(problems).toEqual([]);
  });

  it('builds every image from a pinned base: an exact version tag or a digest, never latest', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const { base } of all) {
      if (stageNamed(base) !== undefined) continue;
      const [, tag = '', digest] =
        /^[a-z0-9./-]+(?::([\w.-]+))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(base) ?? [];
      expect(digest !== undefined || /^\d+\.\d+\.\d+/.test(tag), `${base} is pinned`).toBe(true);
    }
  });

  it('installs with the manifest of every workspace package an app may depend on', () => {
    const manifests = ['packages', 'apps'].flatMap((parent) =>
      readdirSync(join(root, parent))
        .filter((dir) => existsSync(join(root, parent, dir, 'package.json')))
        .map((dir) => `${parent}/${dir}/package.json`),
    );
    const copied = argsOf('build', 'COPY');
    for (const manifest of manifests)
      expect(copied).toContain(`${manifest} ${manifest.replace(/package\.json$/, '')}`);
  });

  it("gives the backup-runner's backup.sh and restore.sh wrappers the runner's V8 flags", () => {
    expect(dockerfile).toContain(`exec node ${RUNNER_NODE_FLAGS.join(' ')} /app/main.js %s "$@"`);
  });

  describe.each(apps)('target %s', (app) => {
    it('has only files from the build stage, the bundle as /app/main.js', () => {
      expect(image(app).map((stage) => stage.name)).not.toContain('build');
      expect(argsOf(app, 'ADD')).toEqual([]);
      const copies = argsOf(app, 'COPY');
      expect(copies).toContain(`--from=build /src/apps/${app}/dist/main.js /app/main.js`);
      for (const copy of copies) expect(copy).toMatch(/^--from=build /);
    });

    it('runs as the numeric non-root user 65532', () => {
      expect(argsOf(app, 'USER').at(-1)).toBe('65532:65532');
    });

    it('starts node on the bundle through an exec-form ENTRYPOINT, with the V8 flags the app measured', () => {
      const argv: unknown = JSON.parse(argsOf(app, 'ENTRYPOINT').at(-1) ?? 'null');
      expect(Array.isArray(argv) && argv.every((arg) => typeof arg === 'string')).toBe(true);
      expect(argv).toEqual(['node', ...(NODE_FLAGS[app] ?? []), '/app/main.js']);
    });

    it('carries the OCI labels', () => {
      const labels = argsOf(app, 'LABEL').join(' ');
      for (const key of ['source', 'title', 'description', 'licenses'])
        expect(labels).toContain(`org.opencontainers.image.${key}=`);
    });
  });
});
