export { s3Client, describeS3Error } from './s3-client.ts';
export type { S3Credentials, S3Location } from './s3-client.ts';
export { backupIdOf, backupKey, moduleBackupPrefix } from './layout.ts';
export { listBackups } from './catalog.ts';
export type { BackupObject } from './catalog.ts';
export { testConnection } from './connection-test.ts';
export type { ConnectionTestResult } from './connection-test.ts';
