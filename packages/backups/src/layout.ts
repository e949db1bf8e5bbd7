// The upstream key layout, kept byte-exact so upstream backups restore with ours and ours with the upstream
// image: <prefix><namespace>/<module>/<uuid>.tar.gz, the prefix concatenated without a separator.
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const moduleBackupPrefix = (prefix: string, namespace: string, module: string): string =>
  `${prefix}${namespace}/${module}/`;

export const backupKey = (prefix: string, namespace: string, module: string, id: string): string =>
  `${moduleBackupPrefix(prefix, namespace, module)}${id}.tar.gz`;

/** The backup id of a key directly under the module's prefix, or undefined for anything else. */
export function backupIdOf(key: string, modulePrefix: string): string | undefined {
  if (!key.startsWith(modulePrefix) || !key.endsWith('.tar.gz')) return undefined;
  const id = key.slice(modulePrefix.length, -'.tar.gz'.length);
  return UUID.test(id) ? id : undefined;
}
