/** Pod Security admission reads its levels from labels with this prefix (`enforce`, `audit`, `warn`). */
export const POD_SECURITY_LABEL_PREFIX = 'pod-security.kubernetes.io/';
