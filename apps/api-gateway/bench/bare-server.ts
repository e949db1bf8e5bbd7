// The bench's baseline: bare Koa routes (@koa/router, nothing else) answering constant bodies read from files
// (UPSTREAM_BODY_FILE at the upstream list path, V1_BODY_FILE at the v1 one), on 127.0.0.1:PORT. What the gateway
// adds on top (auth, rate limit, metrics, headers, caches) is the difference.
import { readFileSync } from 'node:fs';
import Koa from 'koa';
import Router from '@koa/router';

const router = new Router();
for (const [path, file] of [
  ['/api/bot-modules', process.env.UPSTREAM_BODY_FILE],
  ['/api/v1/botmodules', process.env.V1_BODY_FILE],
] as const) {
  const body = readFileSync(file ?? '');
  router.get(path, (ctx) => {
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = body;
  });
}
const app = new Koa();
app.use(router.routes());
app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening\n'));
