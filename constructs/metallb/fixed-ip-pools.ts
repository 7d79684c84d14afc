import type { AddressPoolProps } from './pool-spec';
import { IpFamily, parseIp, parsePoolAddresses } from '../common/ip';

/** Suffix of the pool that holds a declared pool's fixed addresses. */
export const FIXED_POOL_SUFFIX = '-fixed';

/**
 * The pools MetalLB gets, with every fixed address moved out of the auto-assign pools into a pool of
 * its own with `autoAssign: false` (`<pool>-fixed`, same mode). In an auto-assign pool, a Service that
 * asks for no address can be given the gateway's or the authority's address before their own Service
 * exists (first sync, a re-created Service), and that Service then gets none: the tier loses a
 * gateway or its delegation target. Pools declared `autoAssign: false` are kept as they are.
 */
export function poolsWithReservedFixedIps(cluster: { readonly name: string; readonly loadBalancer: { readonly pools: readonly AddressPoolProps[] } }, fixedIps: readonly string[]): AddressPoolProps[] {
  const fixed = fixedIps.map((text) => ({ text, ip: parseIp(text)! })).filter((f) => f.ip !== undefined);
  const names = new Set(cluster.loadBalancer.pools.map((p) => p.name));
  const out: AddressPoolProps[] = [];
  for (const pool of cluster.loadBalancer.pools) {
    const ranges = pool.addresses.map((a) => ({ text: a, range: parsePoolAddresses(a) }));
    const inside = fixed.filter((f) => ranges.some((r) => r.range && r.range.family === f.ip.family && r.range.first <= f.ip.value && f.ip.value <= r.range.last));
    if (pool.autoAssign === false || inside.length === 0) {
      out.push(pool);
      continue;
    }
    const fixedName = `${pool.name}${FIXED_POOL_SUFFIX}`;
    if (names.has(fixedName)) {
      throw new Error(`cluster "${cluster.name}", loadBalancer.pools: pool "${pool.name}" holds fixed addresses (${inside.map((f) => f.text).join(', ')}), which go to a pool "${fixedName}" of their own, but a pool of that name is declared. Fix: rename that pool, or declare the fixed addresses in a pool with autoAssign: false`);
    }
    const remaining = ranges.flatMap((r) => (r.range ? subtract(r.range.family, r.range.first, r.range.last, inside.map((f) => f.ip)) : [r.text]));
    if (remaining.length > 0) out.push({ ...pool, addresses: remaining });
    out.push({ name: fixedName, addresses: inside.map((f) => `${f.text}/${f.ip.family === 4 ? 32 : 128}`), autoAssign: false, ...(pool.mode ? { mode: pool.mode } : {}) });
  }
  return out;
}

/** [first, last] without the given addresses, as MetalLB ranges (`a-b`) or single addresses (`a/32`). */
function subtract(family: IpFamily, first: bigint, last: bigint, holes: readonly { family: IpFamily; value: bigint }[]): string[] {
  const cut = holes.filter((h) => h.family === family && h.value >= first && h.value <= last).map((h) => h.value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: string[] = [];
  let from = first;
  for (const hole of [...cut, last + 1n]) {
    if (hole > from) {
      const to = hole - 1n;
      out.push(to === from ? `${format(family, from)}/${family === 4 ? 32 : 128}` : `${format(family, from)}-${format(family, to)}`);
    }
    from = hole + 1n;
  }
  return out;
}

function format(family: IpFamily, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  return [...Array(8).keys()].map((i) => ((value >> BigInt(16 * (7 - i))) & 0xffffn).toString(16)).join(':');
}
