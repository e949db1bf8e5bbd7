import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger, redact } from '../src/index.ts';

it('redacts secrets by key and bearer tokens by value, at any depth', () => {
  expect(
    redact({
      token: 'abc',
      nested: { password: 'p', ok: 'fine', list: [{ apiKey: 'k' }] },
      header: 'Authorization: Bearer eyJhbGciOi.x.y',
    }),
  ).toEqual({
    token: '[REDACTED]',
    nested: { password: '[REDACTED]', ok: 'fine', list: [{ apiKey: '[REDACTED]' }] },
    header: 'Authorization: Bearer [REDACTED]',
  });
});

it('writes one JSON line per entry with the controller, key and redacted fields', async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ name: 'module-controller', stream });
  logger
    .child({ key: 'ns/echo' })
    .info('applied', { natsToken: 's3cr3t', secret: { data: 'x' }, image: 'echo:1' });
  await new Promise((r) => setImmediate(r));
  const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
  expect(entry).toMatchObject({
    level: 'info',
    message: 'applied',
    controller: 'module-controller',
    key: 'ns/echo',
    natsToken: '[REDACTED]',
    secret: '[REDACTED]',
    image: 'echo:1',
  });
  expect(lines.join('')).not.toContain('s3cr3t');
});
