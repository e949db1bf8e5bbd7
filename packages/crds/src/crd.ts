// Builds the CustomResourceDefinition objects (and the admission policy for Secret references) from the
// zod schemas. scripts/generate-crds.ts writes them to crds/; a test checks the committed files match.
import type { z } from 'zod';
import { backupRestoreSpecSchema, backupRestoreStatusSchema } from './backuprestore.ts';
import { backupScheduleSpecSchema, backupScheduleStatusSchema } from './backupschedule.ts';
import { botModuleSpecSchema, botModuleStatusSchema } from './botmodule.ts';
import { GROUP, KINDS, VERSION } from './constants.ts';
import type { KindName } from './constants.ts';
import { ipcConfigSpecSchema, ipcConfigStatusSchema } from './ipcconfig.ts';
import { toOpenAPI } from './openapi.ts';
import type { OpenAPISchema } from './openapi.ts';
import { SECRET_REFERENCES } from './resources.ts';
import { s3StoreSpecSchema, s3StoreStatusSchema } from './s3store.ts';

interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'date' | 'boolean' | 'number';
  jsonPath: string;
  description?: string;
  priority?: number;
}

interface CrdSource {
  kind: KindName;
  description: string;
  spec: z.ZodType;
  status: z.ZodType;
  columns: PrinterColumn[];
  scale?: boolean;
}

const ready: PrinterColumn = {
  name: 'Ready',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
  description: 'Whether the resource is ready',
};
const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export const CRD_SOURCES: CrdSource[] = [
  {
    kind: 'BotModule',
    description: 'A module of the eevee bot (connector, router, plugin, admin, toolbox), run as a Deployment with its configuration, an optional volume, metrics and backups.',
    spec: botModuleSpecSchema,
    status: botModuleStatusSchema,
    scale: true,
    columns: [
      { name: 'Module', type: 'string', jsonPath: '.spec.moduleName', description: 'Logical module id' },
      { name: 'Image', type: 'string', jsonPath: '.spec.image', description: 'Container image' },
      { name: 'Desired', type: 'integer', jsonPath: '.spec.size', description: 'Desired replicas' },
      { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas', description: 'Ready replicas' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'Lifecycle phase' },
      age,
    ],
  },
  {
    kind: 'IpcConfig',
    description: 'The NATS message bus of an eevee bot: a server the operator runs, or an external one, with token authentication.',
    spec: ipcConfigSpecSchema,
    status: ipcConfigStatusSchema,
    columns: [{ name: 'URL', type: 'string', jsonPath: '.status.url', description: 'NATS client URL' }, ready, age],
  },
  {
    kind: 'S3Store',
    description: 'An S3-compatible bucket where module backups are kept, tested periodically.',
    spec: s3StoreSpecSchema,
    status: s3StoreStatusSchema,
    columns: [
      { name: 'Endpoint', type: 'string', jsonPath: '.spec.endpoint' },
      { name: 'Bucket', type: 'string', jsonPath: '.spec.bucket' },
      ready,
      { name: 'Last Test', type: 'date', jsonPath: '.status.lastConnectionTest.time', description: 'When the connection was last tested' },
      age,
    ],
  },
  {
    kind: 'BackupSchedule',
    description: 'A cron schedule that backs up the volumes of the BotModules that name it to an S3Store.',
    spec: backupScheduleSpecSchema,
    status: backupScheduleStatusSchema,
    columns: [
      { name: 'Schedule', type: 'string', jsonPath: '.spec.schedule' },
      { name: 'S3Store', type: 'string', jsonPath: '.spec.s3Store.name' },
      { name: 'Modules', type: 'integer', jsonPath: '.status.moduleCount', description: 'BotModules on this schedule' },
      { name: 'Last Success', type: 'date', jsonPath: '.status.lastSuccessfulTime' },
      age,
    ],
  },
  {
    kind: 'BackupRestore',
    description: "A one-time restore of a BotModule's volume from a backup in an S3Store; the module is stopped meanwhile.",
    spec: backupRestoreSpecSchema,
    status: backupRestoreStatusSchema,
    columns: [
      { name: 'Module', type: 'string', jsonPath: '.spec.botModule.name' },
      { name: 'Backup', type: 'string', jsonPath: '.status.backupId' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      age,
    ],
  },
];

export function buildCrd(source: CrdSource): Record<string, unknown> {
  const names = KINDS[source.kind];
  const schema: OpenAPISchema = {
    type: 'object',
    description: source.description,
    properties: {
      apiVersion: { type: 'string', description: 'APIVersion of this object: eevee.bot/v1.' },
      kind: { type: 'string', description: `Kind of this object: ${names.kind}.` },
      metadata: { type: 'object' },
      spec: { description: `Desired state of the ${names.kind}.`, ...withoutDescription(toOpenAPI(source.spec, 'spec')) },
      status: { description: `Observed state of the ${names.kind}, written by the operator.`, ...withoutDescription(toOpenAPI(source.status, 'status')) },
    },
    required: ['spec'],
  };
  const subresources: Record<string, unknown> = { status: {} };
  if (source.scale) {
    subresources.scale = { specReplicasPath: '.spec.size', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' };
  }
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${GROUP}`, labels: { 'app.kubernetes.io/part-of': 'eevee-operator' } },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: {
        kind: names.kind,
        listKind: `${names.kind}List`,
        plural: names.plural,
        singular: names.singular,
        shortNames: [names.shortName],
        categories: ['eevee'],
      },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: schema },
          subresources,
          additionalPrinterColumns: source.columns,
        },
      ],
    },
  };
}

function withoutDescription(schema: OpenAPISchema): OpenAPISchema {
  const { description: _ignored, ...rest } = schema;
  return rest;
}

/**
 * CEL in a CRD cannot see metadata.namespace, so "Secret references stay in the resource's namespace" is a
 * ValidatingAdmissionPolicy (GA since Kubernetes 1.30) generated from the same table the controllers check.
 */
export function buildSecretNamespacePolicy(): Record<string, unknown>[] {
  const name = 'eevee.bot-same-namespace-secrets';
  const validations = Object.entries(SECRET_REFERENCES).flatMap(([kind, paths]) =>
    paths.map((path) => {
      const field = `object.${path.join('.')}`;
      const guards = path.slice(1).map((_, i) => `has(object.${path.slice(0, i + 2).join('.')})`);
      return {
        expression: `object.kind != '${kind}' || !(${[...guards, `has(${field}.namespace)`].join(' && ')}) || ${field}.namespace == '' || ${field}.namespace == object.metadata.namespace`,
        message: `${path.join('.')}.namespace must be empty or the ${kind}'s own namespace: Secrets in other namespaces cannot be referenced`,
        reason: 'Invalid',
      };
    }),
  );
  const kinds = Object.entries(SECRET_REFERENCES).filter(([, p]) => p.length > 0).map(([k]) => KINDS[k as KindName].plural);
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, labels: { 'app.kubernetes.io/part-of': 'eevee-operator' } },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [{ apiGroups: [GROUP], apiVersions: [VERSION], operations: ['CREATE', 'UPDATE'], resources: kinds }],
        },
        validations,
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels: { 'app.kubernetes.io/part-of': 'eevee-operator' } },
      spec: { policyName: name, validationActions: ['Deny'] },
    },
  ];
}
