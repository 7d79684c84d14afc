/**
 * The argocd-cm key of a health check for Applications. Argo CD stopped assessing the health of
 * Applications in 1.8; without it a parent Application moves to the next sync wave as soon as a
 * child Application is applied, not when the child is synced and healthy, so our stack waves
 * (cni 0, mizar 10, metallb 20, …) would not be honoured.
 */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

/**
 * The check (Lua 5.1, as Argo CD runs it): a child Application is as healthy as it reports itself,
 * except that "Healthy" counts only once it is also Synced with no sync running. Until it reports
 * anything it is still progressing.
 *
 * Why the exception: Argo CD leaves Missing resources out of an Application's health as soon as one of
 * its resources exists, so a child that has just begun its first sync (its Namespace created, the rest
 * not yet) reports OutOfSync/Healthy. Taken at face value, the parent moved on to the next wave before
 * the child had even created its workloads (seen with real Argo CD v3.6.1: test/lab/argocd-sync.test.ts).
 * The root Application is the one exception to the exception: it lists itself, so its own sync waits on
 * its own health, and during that sync it is never Synced. An Application that tracks itself (its
 * tracking id names the Application itself) is therefore judged by its health alone.
 */
export const APPLICATION_HEALTH_LUA = `local s = obj.status
if s == nil or s.health == nil or s.health.status == nil then
  return { status = "Progressing", message = "waiting for the Application to report its health" }
end
local tracking = obj.metadata.annotations and obj.metadata.annotations["argocd.argoproj.io/tracking-id"]
-- Argo CD runs health checks without Lua's string library (string.sub is nil there): compare whole ids.
local managesItself = tracking == obj.metadata.name .. ":argoproj.io/Application:" .. (obj.metadata.namespace or "") .. "/" .. obj.metadata.name
if s.health.status == "Healthy" and not managesItself then
  if s.sync == nil or s.sync.status ~= "Synced" then
    return { status = "Progressing", message = "healthy so far, waiting for the Application to be synced" }
  end
  if s.operationState ~= nil and s.operationState.phase == "Running" then
    return { status = "Progressing", message = "waiting for the Application's sync to finish" }
  end
end
return { status = s.health.status, message = s.health.message or "" }
`;
