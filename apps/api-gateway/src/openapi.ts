// The OpenAPI 3.1 document of every route, generated from the operation table and the same zod schemas that
// validate requests and responses (zod 4's JSON Schema output is draft 2020-12, OpenAPI 3.1's dialect).
import { z } from 'zod';
import { operatorEventSchema } from '@eevee/crds';
import type { Operation } from './http/operation.ts';
import {
  conditionViewSchema,
  errorSchema,
  eventListSchema,
  healthSchema,
  moduleListSchema,
  moduleViewSchema,
  podViewSchema,
  readySchema,
  restartAcceptedSchema,
  restartModuleRequestSchema,
  restartModuleResponseSchema,
  rootInfoSchema,
  upstreamBotModuleListSchema,
  upstreamBotModuleSchema,
  upstreamPodStatusSchema,
} from './schemas.ts';

type JsonSchema = Record<string, unknown>;

const RESPONSE_COMPONENTS: [z.ZodType, string][] = [
  [errorSchema, 'Error'],
  [healthSchema, 'Health'],
  [rootInfoSchema, 'RootInfo'],
  [readySchema, 'Probe'],
  [upstreamPodStatusSchema, 'UpstreamPodStatus'],
  [upstreamBotModuleSchema, 'UpstreamBotModule'],
  [upstreamBotModuleListSchema, 'UpstreamBotModuleList'],
  [restartModuleResponseSchema, 'RestartModuleResponse'],
  [podViewSchema, 'PodView'],
  [conditionViewSchema, 'ConditionView'],
  [moduleViewSchema, 'ModuleView'],
  [moduleListSchema, 'ModuleList'],
  [restartAcceptedSchema, 'RestartAccepted'],
  [operatorEventSchema, 'OperatorEvent'],
  [eventListSchema, 'EventList'],
];
const REQUEST_COMPONENTS: [z.ZodType, string][] = [[restartModuleRequestSchema, 'RestartModuleRequest']];

const ref = (id: string): JsonSchema => ({ $ref: `#/components/schemas/${id}` });

/** Component schemas of one direction ("input" for requests: defaults make fields optional). */
function components(entries: [z.ZodType, string][], io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of entries) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
}

function schemaRef(schema: z.ZodType, entries: [z.ZodType, string][], io: 'input' | 'output'): JsonSchema {
  const named = entries.find(([s]) => s === schema);
  if (named) return ref(named[1]);
  const { $schema: _dialect, ...inline } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return inline;
}

const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function operationObject(op: Operation): JsonSchema {
  const parameters = [
    ...Object.entries(op.pathParams ?? {}).map(([name, description]) => ({
      name,
      in: 'path',
      required: true,
      description,
      schema: { type: 'string' },
    })),
    ...Object.entries(op.queryParams ?? {}).map(([name, description]) => ({
      name,
      in: 'query',
      required: false,
      description,
      schema: { type: 'string' },
    })),
  ];
  const responses = Object.fromEntries(
    Object.entries(op.responses).map(([status, spec]) => [
      status,
      {
        description: spec.description,
        ...(spec.schema
          ? {
              content: {
                [spec.contentType ?? 'application/json']: {
                  schema: schemaRef(spec.schema, RESPONSE_COMPONENTS, 'output'),
                },
              },
            }
          : spec.contentType
            ? { content: { [spec.contentType]: { schema: { type: 'string' } } } }
            : {}),
      },
    ]),
  );
  return {
    summary: op.summary,
    tags: op.tags,
    operationId: `${op.method}${openApiPath(op.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    ...(parameters.length ? { parameters } : {}),
    ...(op.requestBody
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: schemaRef(op.requestBody, REQUEST_COMPONENTS, 'input') },
            },
          },
        }
      : {}),
    security: op.auth ? [{ bearer: [] }] : [],
    ...(op.auth ? { 'x-eevee-token-scope': op.auth } : {}),
    ...(op.rateLimited ? { 'x-eevee-rate-limited': true } : {}),
    responses,
  };
}

export function openApiDocument(operations: readonly Operation[], version = '1.0.0'): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) (paths[openApiPath(op.path)] ??= {})[op.method] = operationObject(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'eevee operator API',
      version,
      description:
        'The eevee operator API gateway: the upstream routes (kept as they were) and the versioned /api/v1 routes. ' +
        'Authenticated routes take `Authorization: Bearer <token>`; tokens with scope `read` may only read.',
    },
    paths,
    components: {
      schemas: { ...components(RESPONSE_COMPONENTS, 'output'), ...components(REQUEST_COMPONENTS, 'input') },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  };
}
