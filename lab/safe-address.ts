import { contains, parseCidr } from '../constructs/common/ip';
import { LAB_RANGE } from './address-map';

/**
 * The network-safety rule of every test, bench and lab process: it binds or sends to loopback
 * (127.0.0.0/8), or to the lab range on the lab's own bridge, never to another address.
 */
const LOOPBACK = parseCidr('127.0.0.0/8')!;
const LAB = parseCidr(LAB_RANGE)!;

/** Throws unless `ip` is a loopback address (what a process of a test binds, what a test queries). */
export function requireLoopback(ip: string, what: string): void {
  if (!contains(LOOPBACK, ip)) throw new Error(`${what}: only loopback addresses (127.0.0.0/8), not ${ip}`);
}

/** Throws unless `ip` is a loopback address or in the lab range (198.18.0.0/15, the lab bridge). */
export function requireLoopbackOrLab(ip: string, what: string): void {
  if (!contains(LOOPBACK, ip) && !contains(LAB, ip)) throw new Error(`${what}: only loopback (127.0.0.0/8) or lab (${LAB_RANGE}) addresses, not ${ip}`);
}
