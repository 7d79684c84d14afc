/** Names Argo CD reads: its namespace, annotations and finalizer, and the in-cluster API server. */

/** The namespace Argo CD runs in, and its Applications and AppProjects live in. */
export const ARGOCD_NAMESPACE = 'argocd';

/** The API server of the cluster Argo CD itself runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** The annotation Argo CD reads per-object sync options from (comma-separated). */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/** The finalizer that makes deleting an Application delete what it deployed. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** Sync wave of an AppProject: before the Applications that name it. */
export const APP_PROJECT_SYNC_WAVE = -1;
