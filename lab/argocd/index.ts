/**
 * Real Argo CD for the lab: application-controller and repo-server built from the argo-cd/v3 module,
 * Redis from Debian, a local Git repository as the source. See README.md in this folder.
 */
export { ARGOCD_BINARY, ARGOCD_SHARE_DIR, startArgoCd, stopArgoCdFromState } from './start';
export type { ArgoCd, StartArgoCdOptions, StopOptions } from './start';
export { makeGitRepo, pushCommit, git } from './git';
export type { LabGitRepo, MakeGitRepoOptions } from './git';
export { applicationState, applicationStates, applyRootApplication, describeStates, requestRefresh, waitForApplications } from './wait';
export type { ApplicationState, WaitForApplicationsOptions } from './wait';
export { LabKube, readKubeconfig } from './kube';
export type { KubeObject, Kubeconfig } from './kube';
export { netnsLinks } from './netns';
