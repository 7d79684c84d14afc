/**
 * The argocd-cm key of a health check for Applications. Argo CD stopped assessing the health of
 * Applications in 1.8; without it a parent Application moves to the next sync wave as soon as a
 * child Application is applied, not when the child is synced and healthy, so our stack waves
 * (cni 0, mizar 10, metallb 20, …) would not be honoured.
 */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

/**
 * The check (Lua 5.1, as Argo CD runs it): a child Application is as healthy as it reports itself;
 * until it reports anything it is still progressing.
 */
export const APPLICATION_HEALTH_LUA = `local reported = obj.status and obj.status.health
if reported == nil or reported.status == nil then
  return { status = "Progressing", message = "waiting for the Application to report its health" }
end
return { status = reported.status, message = reported.message or "" }
`;
