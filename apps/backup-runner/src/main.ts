// backup-runner: the program of backup and restore Jobs. `node src/main.ts backup|restore`, configured by the
// environment (see README). The last stdout line is the result as JSON, also written to RESULT_FILE.
// Exit codes: 0 success, 1 failure, 2 invalid configuration, 128 + n when stopped by signal n (interruption.ts).
import { runBackup } from './backup.ts';
import { ConfigError, parseAction, parseConfig, resultFilePath } from './config.ts';
import type { RunnerConfig } from './config.ts';
import { messageOf } from './errors.ts';
import { Interrupted, interruptionSignal } from './interruption.ts';
import { log } from './log.ts';
import { writeResultFile } from './result.ts';
import type { RunResult } from './result.ts';
import { runRestore } from './restore.ts';
import { createS3Client } from './s3-client.ts';

async function run(config: RunnerConfig, signal: AbortSignal): Promise<RunResult> {
  const client = createS3Client(config.s3);
  try {
    return config.action === 'backup'
      ? await runBackup(config, client, {}, signal)
      : await runRestore(config, client, signal);
  } finally {
    client.destroy();
  }
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const actionArgument = argv[2];
  const signal = interruptionSignal();
  let result: RunResult;
  let exitCode: number;
  try {
    const config = parseConfig(parseAction(actionArgument), env);
    result = await run(config, signal);
    exitCode = 0;
  } catch (err) {
    // Whatever layer noticed the interruption (and however it wrapped it), the signal is what happened.
    const interrupted = signal.reason instanceof Interrupted ? signal.reason : undefined;
    const configError = err instanceof ConfigError;
    result = { ok: false, action: actionArgument ?? '', error: messageOf(interrupted ?? err) };
    exitCode = interrupted?.exitCode ?? (configError ? 2 : 1);
    log(`${configError ? 'configuration' : interrupted ? 'stopped' : 'failed'}: ${result.error}`);
  }
  const problem = await writeResultFile(resultFilePath(env), result);
  if (problem !== undefined) log(problem);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return exitCode;
}

process.exitCode = await main(process.argv, process.env);
