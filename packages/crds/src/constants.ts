// Names every app shares: the API group, kinds, labels and annotations. Never spell these elsewhere.
export const GROUP = 'eevee.bot';
export const VERSION = 'v1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export const KINDS = {
  BotModule: { kind: 'BotModule', plural: 'botmodules', singular: 'botmodule', shortName: 'bm' },
  IpcConfig: { kind: 'IpcConfig', plural: 'ipcconfigs', singular: 'ipcconfig', shortName: 'ipc' },
  S3Store: { kind: 'S3Store', plural: 's3stores', singular: 's3store', shortName: 's3s' },
  BackupSchedule: { kind: 'BackupSchedule', plural: 'backupschedules', singular: 'backupschedule', shortName: 'bs' },
  BackupRestore: { kind: 'BackupRestore', plural: 'backuprestores', singular: 'backuprestore', shortName: 'br' },
} as const;
export type KindName = keyof typeof KINDS;

/** Labels on every object the operator creates (upstream contract). */
export const LABELS = {
  app: 'app',
  /** Value of LABELS.app on every child. */
  appValue: 'eevee.bot',
  module: 'eevee.bot/module',
  natsServer: 'eevee.bot/nats-server',
  ipcConfig: 'eevee.bot/ipcconfig',
  /** On test namespaces created by packages/testenv. */
  test: 'eevee.bot/test',
} as const;

export const ANNOTATIONS = {
  /** On a module's PVC once a bootstrap restore has filled it (upstream contract). */
  bootstrapped: 'eevee.bot/bootstrapped',
  /** Set on a BotModule by the api-gateway to ask for a rolling restart; copied to the pod template. */
  restartedAt: 'eevee.bot/restartedAt',
  /** On pod templates: hash of the module config and the resourceVersions of the Secrets the pod reads. */
  configHash: 'eevee.bot/config-hash',
  /**
   * Set on an IpcConfig (any new value, e.g. a timestamp) to rotate a generated NATS token; the ipc-controller
   * records the value it handled on the Secret as tokenRotation, so each value rotates exactly once.
   */
  rotateToken: 'eevee.bot/rotate-token',
  tokenRotation: 'eevee.bot/token-rotation',
} as const;

/** Effective defaults that are deliberately not CRD defaults (a CRD default is frozen into stored objects). */
export const EFFECTIVE_DEFAULTS = {
  imagePullPolicy: 'IfNotPresent',
  // The release the tests run (packages/testenv builds nats-server 2.15.2), so the generated config is validated
  // by the same version the pods run.
  natsImage: 'docker.io/nats:2.15.2-alpine',
  natsExporterImage: 'docker.io/natsio/prometheus-nats-exporter:0.17.3',
  natsTokenSecretName: 'nats-token',
  natsTokenKey: 'token',
  backupImage: 'ghcr.io/eeveebot/backupjob:latest',
} as const;

/** The generated CRD manifests (and examples, under examples/) in this repository. */
export const CRDS_DIR = new URL('../../../crds/', import.meta.url).pathname;
