// Progress for humans, on stderr: stdout carries only the result line, so a caller can parse it blindly.
export function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${message}\n`);
}
