import type { z } from 'zod';

/** One readable line per problem, each naming the field: "spec.size: Too small: expected number to be >=0". */
export function formatZodError(error: z.ZodError, root = ''): string {
  return error.issues
    .map((issue) => {
      const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
      return `${path || '(root)'}: ${issue.message}`;
    })
    .join('\n');
}
