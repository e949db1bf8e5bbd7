// Runs detached beside a test run: when the run's process dies without stopping its instance (a crash, a
// SIGKILL), this stops the instance's processes by PID and removes its state directory.
//   node watchdog.ts <instance-dir> <owner-pid>
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, stopInstanceDir } from './processes.ts';

const [dir, ownerArg] = process.argv.slice(2);
const ownerPid = Number(ownerArg);
if (dir === undefined || !Number.isInteger(ownerPid)) {
  console.error('usage: watchdog.ts <instance-dir> <owner-pid>');
  process.exit(2);
}

while (existsSync(join(dir, 'owner.json'))) {
  if (!isAlive(ownerPid)) {
    await stopInstanceDir(dir, 2_000);
    break;
  }
  await sleep(500);
}
