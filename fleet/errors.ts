/** One problem found in a fleet definition. */
export interface FleetIssue {
  /** The cluster the problem is in; undefined for fleet-wide fields. */
  readonly cluster?: string;
  /** Path of the field, e.g. `loadBalancer.pools[0].addresses[1]`. */
  readonly field: string;
  /** What is wrong. */
  readonly problem: string;
  /** What to do about it. */
  readonly fix: string;
}

export function formatIssue(issue: FleetIssue): string {
  const where = issue.cluster ? `cluster "${issue.cluster}", ${issue.field}` : `fleet, ${issue.field}`;
  return `${where}: ${issue.problem}. Fix: ${issue.fix}`;
}

/** Thrown when a fleet does not validate; lists every problem, not just the first. */
export class FleetValidationError extends Error {
  constructor(readonly issues: readonly FleetIssue[]) {
    super(`The fleet definition has ${issues.length} problem${issues.length === 1 ? '' : 's'}; nothing was written:\n` +
      issues.map((i) => `  - ${formatIssue(i)}`).join('\n'));
    this.name = 'FleetValidationError';
  }
}

/** Records one problem of the cluster being checked (the caller adds the cluster's name). */
export type ReportIssue = (issue: Omit<FleetIssue, 'cluster'>) => void;
