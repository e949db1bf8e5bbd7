// eevee module-controller: BotModule -> Deployment, ConfigMap, PVC, Service, HPA, PDB, and status.
import { runManager } from '@eevee/runtime';
import { botModuleController } from './controller.ts';
import { parseModuleSettings } from './settings.ts';

let settings;
try {
  settings = parseModuleSettings(process.env);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}
await runManager({ name: 'module-controller', controllers: [botModuleController(settings)] });
