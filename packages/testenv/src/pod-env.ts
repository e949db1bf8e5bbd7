// The environment a container gets, resolved as the kubelet does: values, secretKeyRef from the given Secrets'
// data, metadata.name, and `$(VAR)` references to variables defined earlier in the list. Tests use it to run the
// real nats-server with exactly what a pod of the controller's Deployment would see.
import type { V1EnvVar } from '@kubernetes/client-node';

export function podEnvironment(
  env: V1EnvVar[],
  secrets: Record<string, Record<string, string>>,
  podName = 'pod-0',
): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const variable of env) {
    let value: string | undefined;
    if (variable.value !== undefined)
      value = variable.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) =>
        name in resolved ? resolved[name]! : whole,
      );
    else if (variable.valueFrom?.secretKeyRef) {
      const ref = variable.valueFrom.secretKeyRef;
      value = secrets[ref.name!]?.[ref.key];
      if (value === undefined) throw new Error(`Secret ${ref.name} has no key ${ref.key}`);
    } else if (variable.valueFrom?.fieldRef?.fieldPath === 'metadata.name') value = podName;
    if (value !== undefined) resolved[variable.name] = value;
  }
  return resolved;
}
