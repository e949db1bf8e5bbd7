// The security settings of the pods the controllers create for their own programs (the NATS server, the
// backup-runner Jobs): the Kubernetes "restricted" Pod Security Standard, a fixed non-root user (whose files on a
// shared volume stay readable to the next pod of the same program), and a read-only root filesystem.

/** Pod level: non-root UID/GID 1000, volumes group-owned by it, the runtime's default seccomp profile. */
export const RESTRICTED_POD_SECURITY = {
  runAsUser: 1000,
  runAsGroup: 1000,
  fsGroup: 1000,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Container level: no privilege escalation, no capabilities, nothing written outside mounted volumes. */
export const RESTRICTED_CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};
