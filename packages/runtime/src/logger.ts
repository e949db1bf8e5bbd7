// JSON logs (winston) with controller/key/trace fields. Anything that looks like a secret is redacted before
// it is written: by key name (token, password, secret, authorization, ...) and by value (bearer tokens).
import winston from 'winston';

export type Logger = winston.Logger;

const SECRET_KEY = /token|password|passwd|secret|authorization|credential|apikey|api_key|private.?key/i;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') return value.replace(BEARER, '$1 [REDACTED]');
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1) };
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) ? '[REDACTED]' : redact(v, depth + 1),
      ]),
    );
  }
  return value;
}

const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'timestamp') continue;
    info[key] = SECRET_KEY.test(key) ? '[REDACTED]' : redact(info[key]);
  }
  return info;
});

export function createLogger(options: {
  level?: string;
  name: string;
  stream?: NodeJS.WritableStream;
}): Logger {
  return winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: { controller: options.name },
    format: winston.format.combine(winston.format.timestamp(), redactFormat(), winston.format.json()),
    transports: [
      options.stream
        ? new winston.transports.Stream({ stream: options.stream })
        : new winston.transports.Console(),
    ],
  });
}
