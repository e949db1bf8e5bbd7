export { s3Client } from './s3-client.ts';
export type { S3Credentials, S3Location } from './s3-client.ts';
export { backupIdOfKey, backupIdTime, backupKey, isUuid, moduleKeyPrefix, newBackupId } from './keys.ts';
export type { ModuleLocation } from './keys.ts';
export { compareNewestFirst, listBackups } from './backup-list.ts';
export type { StoredBackup } from './backup-list.ts';
export { describeS3Error, s3ErrorCode } from './s3-errors.ts';
export { testConnection } from './connection-test.ts';
export type { ConnectionTestResult } from './connection-test.ts';
