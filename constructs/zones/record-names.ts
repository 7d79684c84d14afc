/**
 * Owner names and target names of zone records. Owner names are written relative to the zone
 * (`www`, `_sip._tcp`, `@` for the apex) or absolute with a trailing dot; targets (CNAME, MX, SRV,
 * NS) are always fully qualified, with or without the trailing dot.
 */

/** A label of an owner name: letters, digits, dashes and underscores (`_sip`, `_tcp`), or `*` first. */
const OWNER_LABEL = /^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?|\*)$/;
/** A label of a host name a record points to. */
const HOST_LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?$/;

/** An owner name resolved against its zone. */
export type OwnerName =
  | { readonly ok: true; /** fully qualified, lower case, no trailing dot */ readonly fqdn: string }
  | { readonly ok: false; readonly problem: string; readonly fix: string };

/** Resolves `name` (relative, `@`, or absolute with a trailing dot) against `zone`. */
export function ownerName(name: string, zone: string): OwnerName {
  const text = name.trim().toLowerCase();
  if (text === '' ) return { ok: false, problem: 'the name is empty', fix: "write a name relative to the zone, e.g. www, or '@' for the apex" };
  if (text === '@') return { ok: true, fqdn: zone };
  let fqdn: string;
  if (text.endsWith('.')) {
    fqdn = text.slice(0, -1);
    if (fqdn !== zone && !fqdn.endsWith(`.${zone}`)) {
      return { ok: false, problem: `"${name}" is outside the zone ${zone}`, fix: `write a name inside ${zone}, relative (www) or absolute (www.${zone}.)` };
    }
  } else {
    if (text === zone || text.endsWith(`.${zone}`)) {
      return { ok: false, problem: `"${name}" looks absolute but has no trailing dot, so it would mean ${text}.${zone}`, fix: `write it relative (${text === zone ? '@' : text.slice(0, -zone.length - 1)}) or end it with a dot` };
    }
    fqdn = `${text}.${zone}`;
  }
  const labels = fqdn.split('.');
  const bad = labels.find((l, i) => !OWNER_LABEL.test(l) || (l === '*' && i !== 0));
  if (bad !== undefined) {
    return { ok: false, problem: `"${name}" has the label "${bad}", which is not a DNS label`, fix: 'use letters, digits, dashes and underscores (at most 63 each); * only as the first label' };
  }
  if (fqdn.length > 253) return { ok: false, problem: `"${name}" is longer than 253 characters`, fix: 'use a shorter name' };
  return { ok: true, fqdn };
}

/** A target host name resolved to fully qualified form, or the problem with it. */
export type TargetName =
  | { readonly ok: true; readonly fqdn: string }
  | { readonly ok: false; readonly problem: string; readonly fix: string };

/** Checks a fully qualified target (`web.platform.example`, trailing dot optional). */
export function targetName(name: string): TargetName {
  const fqdn = name.trim().toLowerCase().replace(/\.$/, '');
  const labels = fqdn.split('.');
  if (fqdn === '' || labels.some((l) => !HOST_LABEL.test(l)) || fqdn.length > 253) {
    return { ok: false, problem: `"${name}" is not a host name`, fix: 'write a fully qualified name such as web.platform.example' };
  }
  if (labels.length < 2) {
    return { ok: false, problem: `"${name}" is a single label; targets are fully qualified, so this would point at the top-level name "${fqdn}."`, fix: 'write the full name, e.g. web.platform.example' };
  }
  return { ok: true, fqdn };
}

/** `fqdn` written relative to `zone` for a zone file (`@` for the apex). */
export function relativeTo(fqdn: string, zone: string): string {
  return fqdn === zone ? '@' : fqdn.slice(0, -zone.length - 1);
}
