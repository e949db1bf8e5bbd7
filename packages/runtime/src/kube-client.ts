// A raw-JSON Kubernetes client on undici with the kubeconfig's credentials and TLS (kube-config.ts). Raw JSON
// on purpose: client-node's typed models turn timestamps into Dates on list but not on watch, and drop fields they do not know (x-kubernetes-* on CRDs), so every object here is what the
// apiserver sent, validated by zod where it is ours.
import { fetch } from 'undici';
import type { Connection } from './kube-config.ts';
import { connectionFromKubeconfig } from './kube-config.ts';
import type { Verb } from './permissions.ts';

/** Anything that can print a kubeconfig, such as @kubernetes/client-node's KubeConfig (exportConfig()). */
export interface KubeconfigSource {
  exportConfig(): string;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    deletionTimestamp?: string;
    creationTimestamp?: string;
    managedFields?: unknown[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KubeList<T> {
  metadata: { resourceVersion: string; continue?: string };
  items: T[];
}

/** An error answer of the apiserver, with its HTTP code and Status reason/message. */
export class KubeApiError extends Error {
  readonly code: number;
  readonly reason: string | undefined;
  constructor(code: number, reason: string | undefined, message: string) {
    super(message);
    this.name = 'KubeApiError';
    this.code = code;
    this.reason = reason;
  }
}

export const isNotFound = (err: unknown): boolean => err instanceof KubeApiError && err.code === 404;
export const isConflict = (err: unknown): boolean => err instanceof KubeApiError && err.code === 409;
export const isGone = (err: unknown): boolean => err instanceof KubeApiError && err.code === 410;

/** How to reach one resource type: `/api/v1` or `/apis/<group>/<version>`, its plural, and whether it is namespaced. */
export interface ResourceType {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /**
   * Lists and watches return only metadata (PartialObjectMetadata): for types a controller only needs to notice
   * changing, such as Secrets whose resourceVersion goes into a config hash (their data never enters memory).
   */
  metadataOnly?: boolean;
  /**
   * Trims each object before an informer caches it (client-go's SetTransform), so a cache of many objects keeps
   * only the fields its readers use. Named: informers are shared per type, label selector and transform.
   */
  cacheTransform?: { name: string; apply: (obj: KubeObject) => KubeObject };
}

const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, application/json';
export const METADATA_WATCH =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1, application/json';

export function resourcePath(
  type: ResourceType,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  const base = type.apiVersion.includes('/') ? `/apis/${type.apiVersion}` : `/api/${type.apiVersion}`;
  const ns = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const tail = name ? `/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}` : '';
  return `${base}${ns}/${type.plural}${tail}`;
}

export class KubeClient {
  readonly connection: Connection;
  /** Counts writes (POST/PUT/PATCH/DELETE) so tests can prove a converged controller writes nothing. */
  writes = 0;
  /** Called on every write with its verb and path (metrics). */
  onWrite: ((method: string, path: string) => void) | undefined;
  /** Checks each call against the permissions the process declares (permissions.ts); throws to refuse it. */
  authorize: ((verb: Verb, type: ResourceType, subresource?: string) => void) | undefined;
  /**
   * Called by applyStatus with every status a reconciler states for an object, also when it matched the cache
   * and nothing was sent (object-state metrics).
   */
  onStatus: ((type: ResourceType, object: KubeObject, status: Record<string, unknown>) => void) | undefined;

  /** The connection was made here (from a kubeconfig), so close() may end it; a given one is the caller's. */
  private readonly ownsConnection: boolean;

  constructor(source: Connection | KubeconfigSource) {
    this.ownsConnection = 'exportConfig' in source;
    this.connection = 'exportConfig' in source ? connectionFromKubeconfig(source.exportConfig()) : source;
  }

  /**
   * Ends the connections of a client that made its own (after its informers stopped): no idle HTTP/2 session is
   * left to fail later, e.g. when the apiserver goes away after a manager stopped in a longer-lived process.
   */
  async close(): Promise<void> {
    if (this.ownsConnection) await this.connection.dispatcher.destroy();
  }

  async request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options: {
      query?: Record<string, string | number | boolean | undefined>;
      body?: unknown;
      contentType?: string;
      accept?: string;
      signal?: AbortSignal;
    } = {},
  ): Promise<T> {
    const url = new URL(this.connection.server + path);
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const authorization = this.connection.authorization();
    const headers: Record<string, string> = {
      accept: options.accept ?? 'application/json',
      ...(authorization ? { authorization } : {}),
    };
    if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    if (method !== 'GET') {
      this.writes += 1;
      this.onWrite?.(method, path);
    }
    const response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      dispatcher: this.connection.dispatcher,
      signal: options.signal ?? AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) {
      let status: { reason?: string; message?: string } = {};
      try {
        status = JSON.parse(text) as typeof status;
      } catch {
        // not a Status object
      }
      throw new KubeApiError(
        response.status,
        status.reason,
        `${method} ${path}: ${response.status} ${status.message ?? text.slice(0, 500)}`,
      );
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string): Promise<T> {
    this.authorize?.('get', type);
    return this.request<T>('GET', resourcePath(type, namespace, name));
  }

  /** Lists in pages of 500 (an unpaginated list of 10,000 objects is one huge response). */
  async list<T extends KubeObject>(
    type: ResourceType,
    options: {
      namespace?: string;
      labelSelector?: string;
      fieldSelector?: string;
      resourceVersion?: string;
    } = {},
  ): Promise<KubeList<T>> {
    this.authorize?.('list', type);
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion: string;
    do {
      const page = await this.request<KubeList<T>>('GET', resourcePath(type, options.namespace), {
        ...(type.metadataOnly ? { accept: METADATA_LIST } : {}),
        query: {
          limit: 500,
          continue: cont,
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          resourceVersion: cont ? undefined : options.resourceVersion,
        },
      });
      // An empty PartialObjectMetadataList says "items": null.
      for (const item of page.items ?? []) items.push(item);
      resourceVersion = page.metadata.resourceVersion;
      cont = page.metadata.continue || undefined;
    } while (cont);
    return { metadata: { resourceVersion }, items };
  }

  /** Server-side apply of `body` (only the fields this manager owns) to the object or its status. */
  apply<T extends KubeObject>(
    type: ResourceType,
    body: KubeObject,
    fieldManager: string,
    options: { force?: boolean; subresource?: 'status' | 'scale' } = {},
  ): Promise<T> {
    this.authorize?.('patch', type, options.subresource);
    return this.request<T>(
      'PATCH',
      resourcePath(type, body.metadata.namespace, body.metadata.name, options.subresource),
      {
        query: { fieldManager, force: options.force ?? true },
        body,
        contentType: 'application/apply-patch+yaml',
      },
    );
  }

  /** A JSON merge patch (for single fields such as an annotation). */
  mergePatch<T extends KubeObject>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    fieldManager: string,
  ): Promise<T> {
    this.authorize?.('patch', type);
    return this.request<T>('PATCH', resourcePath(type, namespace, name), {
      query: { fieldManager },
      body: patch,
      contentType: 'application/merge-patch+json',
    });
  }

  create<T extends KubeObject>(type: ResourceType, body: KubeObject, fieldManager?: string): Promise<T> {
    this.authorize?.('create', type);
    return this.request<T>('POST', resourcePath(type, body.metadata.namespace), {
      body,
      query: { fieldManager },
    });
  }

  replace<T extends KubeObject>(type: ResourceType, body: KubeObject, fieldManager?: string): Promise<T> {
    this.authorize?.('update', type);
    return this.request<T>('PUT', resourcePath(type, body.metadata.namespace, body.metadata.name), {
      body,
      query: { fieldManager },
    });
  }

  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    propagationPolicy: 'Background' | 'Foreground' | 'Orphan' = 'Background',
  ): Promise<unknown> {
    this.authorize?.('delete', type);
    return this.request('DELETE', resourcePath(type, namespace, name), {
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy },
    });
  }
}

/**
 * The resource (plural, with its subresource) a request path names: /apis/apps/v1/namespaces/ns/deployments/x
 * → deployments; …/botmodules/x/status → botmodules/status; /api/v1/namespaces/ns → namespaces.
 */
export function resourceOfPath(path: string): string {
  const parts = path.split('?')[0]!.split('/').filter(Boolean);
  const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  const [first, namespace, plural, , sub] = rest;
  if (first === 'namespaces' && plural !== undefined && namespace !== undefined)
    return sub ? `${plural}/${sub}` : plural;
  return rest[2] ? `${first}/${rest[2]}` : (first ?? '');
}
