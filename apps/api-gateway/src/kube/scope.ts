// Which namespaces the gateway serves (upstream: NAMESPACE, or every namespace with WATCH_OTHER_NAMESPACES). A
// request about any other namespace is answered 404, exactly like a missing module: the gateway neither acts
// outside its namespaces nor tells what exists there.
export interface NamespaceScope {
  /** The upstream list route's namespace (upstream lists NAMESPACE only, even when watching all). */
  readonly home: string;
  /** Informers watch this namespace, or all when undefined. */
  readonly watched: string | undefined;
  serves(namespace: string): boolean;
}

export function namespaceScope(home: string, watchAll: boolean): NamespaceScope {
  return {
    home,
    watched: watchAll ? undefined : home,
    serves: (namespace) => watchAll || namespace === home,
  };
}
