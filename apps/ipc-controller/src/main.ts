// eevee ipc-controller: IpcConfig -> token Secret, NATS config, Deployment or StatefulSet, Services, PDB, status.
import { runManager } from '@eevee/runtime';
import { ipcConfigController } from './controller.ts';

await runManager({ name: 'ipc-controller', controllers: [ipcConfigController()] });
