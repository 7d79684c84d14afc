/** One problem in the props of a construct: the same shape the fleet layer reports (FleetIssue without the cluster). */
export interface PropIssue {
  /** Path of the prop, e.g. `gateways[1]`. */
  readonly field: string;
  /** What is wrong. */
  readonly problem: string;
  /** What to do about it. */
  readonly fix: string;
}

/** Throws one error listing every issue, each as `<what>, <field>: <problem>. Fix: <fix>`. */
export function throwIfIssues(what: string, issues: readonly PropIssue[]): void {
  if (issues.length === 0) return;
  throw new Error(issues.map((i) => `${what}, ${i.field}: ${i.problem}. Fix: ${i.fix}`).join('\n'));
}
