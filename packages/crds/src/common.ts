// Pieces shared by several kinds: references, conditions, status basics.
import { z } from 'zod';
import { doc, listMap, withRules } from './schema-kit.ts';

/** RFC 1123 subdomain name, the shape of most object names. */
export const objectName = () =>
  z
    .string()
    .min(1)
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);

export const imagePullPolicy = () => z.enum(['Always', 'IfNotPresent', 'Never']);

export const image = () => z.string().min(1).max(1024).regex(/^\S+$/);

/** `{name}` of another object in the same namespace. */
export const localRef = (what: string) =>
  doc(z.object({ name: doc(objectName(), `Name of the ${what} in the same namespace.`) }), `Reference to a ${what} in the same namespace.`);

const sameNamespaceNote = 'Must be empty or the namespace of this resource: cross-namespace references are refused.';

/** `{name, namespace?}` of a Secret; the namespace, when given, must be the resource's own (checked at admission). */
export const secretReference = (purpose: string) =>
  doc(
    z.object({
      name: doc(objectName(), `Name of the Secret ${purpose}.`),
      namespace: doc(z.string().max(63), `Namespace of the Secret. ${sameNamespaceNote}`).optional(),
    }),
    `Secret ${purpose}, in the same namespace.`,
  );

/** `{secretKeyRef: {secret: {name, namespace?}, key}}` as upstream spells a Secret value. */
export const secretKeySource = (purpose: string) =>
  doc(
    z.object({
      secretKeyRef: doc(
        z.object({
          secret: secretReference(`holding ${purpose}`),
          key: doc(z.string().min(1).max(253).regex(/^[-._a-zA-Z0-9]+$/), `Key within the Secret whose value is ${purpose}.`),
        }),
        `Selects a key of a Secret holding ${purpose}.`,
      ),
    }),
    `Where ${purpose} comes from.`,
  );

export const conditionSchema = doc(
  z.object({
    type: doc(z.string().min(1).max(316), 'Type of the condition, e.g. Ready.'),
    status: doc(z.enum(['True', 'False', 'Unknown']), 'Status of the condition: True, False or Unknown.'),
    reason: doc(z.string().min(1).max(1024), 'One CamelCase word saying why the condition is in its status.'),
    message: doc(z.string().max(32768), 'Human-readable details.').default(''),
    lastTransitionTime: doc(z.string(), 'When the status last changed (RFC 3339).'),
    observedGeneration: doc(z.number().int().min(0), 'The .metadata.generation the condition was set for.').optional(),
  }),
  'A standard condition (metav1.Condition).',
);
export type Condition = z.infer<typeof conditionSchema>;

export const conditions = () =>
  doc(
    listMap(z.array(conditionSchema), ['type']),
    'Current state as standard conditions, one per type. Ready is always present once reconciled.',
  ).optional();

export const observedGeneration = () =>
  doc(z.number().int().min(0), 'The .metadata.generation this status describes.').optional();

/** Positive integer with a rule that a range is ordered, for min/max pairs. */
export function orderedRange<T extends z.ZodObject>(schema: T, min: string, max: string): T {
  return withRules(schema, [
    {
      rule: `!has(self.${min}) || !has(self.${max}) || self.${max} >= self.${min}`,
      message: `${max} must be greater than or equal to ${min}`,
      fieldPath: `.${max}`,
      path: [max],
      check: (v) => {
        const value = v as Record<string, number | undefined>;
        return value[min] === undefined || value[max] === undefined || value[max] >= value[min];
      },
    },
  ]);
}
