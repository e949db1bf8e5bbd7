// Object names the controllers derive from custom resource names (upstream contract), kept within Kubernetes
// limits: a name that would be too long is cut and suffixed with a hash of the whole, deterministically.
import { createHash } from 'node:crypto';

/** `name` if it fits in `max` characters, else its first part, '-', and 10 hex chars of its SHA-256. */
export function boundedName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 10);
  return `${name.slice(0, max - 11).replace(/[-.]+$/, '')}-${hash}`;
}

/** Label values are at most 63 characters. */
export const labelValue = (value: string): string => boundedName(value, 63);

/** Names of everything the module-controller keeps for the BotModule named `cr`. */
export function moduleObjectNames(cr: string) {
  return {
    deployment: boundedName(`eevee-${cr}-module`, 253),
    configMap: boundedName(`eevee-${cr}-module-config`, 253),
    pvc: boundedName(`eevee-${cr}-module-pvc`, 253),
    // Services and their ports are DNS-1035 labels: 63 characters.
    service: boundedName(`eevee-${cr}-module`, 63),
    hpa: boundedName(`eevee-${cr}-module`, 253),
    pdb: boundedName(`eevee-${cr}-module`, 253),
  };
}

/** The objects of one IpcConfig's NATS (upstream names), bounded like every name we derive from a CR name. */
export function natsObjectNames(ipc: string) {
  return {
    // 52: a StatefulSet name plus its controller-revision-hash suffix must fit a 63-character label value.
    server: boundedName(`eevee-${ipc}-nats`, 52),
    config: boundedName(`eevee-${ipc}-nats-config`, 253),
    // The headless Service of a clustered StatefulSet: pods get stable DNS names for the routes.
    headless: boundedName(`eevee-${ipc}-nats-cluster`, 63),
    pdb: boundedName(`eevee-${ipc}-nats`, 253),
    jetstream: boundedName(`eevee-${ipc}-nats-jetstream`, 253),
  };
}
