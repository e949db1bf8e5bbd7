// Errors that say where they happened: each layer prefixes what it was doing, the cause is kept for debugging.

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** `context: <message of err>`, with err as the cause. */
export function wrapError(context: string, err: unknown): Error {
  return new Error(`${context}: ${messageOf(err)}`, { cause: err });
}

/** Runs `work`; a failure is rethrown prefixed with `context`. */
export async function withContext<T>(context: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw wrapError(context, err);
  }
}
