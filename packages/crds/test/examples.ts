// The project's example resources (crds/examples), split into documents.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { API_VERSION } from '../src/index.ts';

export const crdsDir = join(import.meta.dirname, '..', '..', '..', 'crds');
const examplesDir = join(crdsDir, 'examples');

export interface Example {
  file: string;
  doc: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> };
}

export function examples(): Example[] {
  return readdirSync(examplesDir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(examplesDir, file), 'utf8')).map((d) => ({ file, doc: d.toJSON() as Example['doc'] })),
    );
}

export const eeveeExamples = (): Example[] => examples().filter((e) => e.doc.apiVersion === API_VERSION);
