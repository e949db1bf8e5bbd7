// backup-runner: the program of backup and restore Jobs. `node src/main.ts backup|restore`, configured by the
// environment (see README). The last stdout line is the result as JSON, also written to RESULT_FILE.
// Exit codes: 0 success, 1 failure, 2 invalid configuration.
import { runBackup } from './backup.ts';
import { ConfigError, parseAction, parseConfig, resultFilePath } from './config.ts';
import type { RunnerConfig } from './config.ts';
import { messageOf } from './errors.ts';
import { log } from './log.ts';
import { writeResultFile } from './result.ts';
import type { RunResult } from './result.ts';
import { runRestore } from './restore.ts';
import { createS3Client } from './s3-client.ts';

async function run(config: RunnerConfig): Promise<RunResult> {
  const client = createS3Client(config.s3);
  try {
    return config.action === 'backup' ? await runBackup(config, client) : await runRestore(config, client);
  } finally {
    client.destroy();
  }
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const actionArgument = argv[2];
  let result: RunResult;
  let exitCode: number;
  try {
    const config = parseConfig(parseAction(actionArgument), env);
    result = await run(config);
    exitCode = 0;
  } catch (err) {
    const configError = err instanceof ConfigError;
    result = { ok: false, action: actionArgument ?? '', error: messageOf(err) };
    exitCode = configError ? 2 : 1;
    log(`${configError ? 'configuration' : 'failed'}: ${result.error}`);
  }
  const problem = await writeResultFile(resultFilePath(env), result);
  if (problem !== undefined) log(problem);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return exitCode;
}

process.exitCode = await main(process.argv, process.env);
