/** DNS name rules (RFC 1123 labels) used by validation. */

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A lower-case DNS label: what Kubernetes calls a DNS-1123 label. */
export function isDnsLabel(text: string): boolean {
  return LABEL.test(text);
}

/** A lower-case, dot-separated DNS name without the trailing dot, at most 253 characters. */
export function isDnsName(text: string): boolean {
  return text.length > 0 && text.length <= 253 && text.split('.').every(isDnsLabel);
}

/** True when `name` is `parent` or lies below it. */
export function isInZone(name: string, parent: string): boolean {
  return name === parent || name.endsWith(`.${parent}`);
}
