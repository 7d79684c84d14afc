import { describe, expect, it } from 'vitest';
import { requireLoopback, requireLoopbackOrLab } from '../../lab/safe-address';

describe('the network-safety guard of the lab layer', () => {
  it('lets loopback through, and the lab range only where the lab bridge is meant', () => {
    for (const ip of ['127.0.0.1', '127.0.53.53', '127.255.255.254']) expect(() => requireLoopback(ip, 'test')).not.toThrow();
    for (const ip of ['198.18.0.1', '198.19.255.1']) {
      expect(() => requireLoopback(ip, 'test')).toThrow(/only loopback addresses/);
      expect(() => requireLoopbackOrLab(ip, 'test')).not.toThrow();
    }
  });

  it('refuses every other address, the example fleet\'s and the uplink\'s alike', () => {
    for (const ip of ['10.96.0.10', '198.51.100.200', '192.168.1.1', '8.8.8.8', '198.20.0.1', '::1', 'not-an-ip']) {
      expect(() => requireLoopbackOrLab(ip, 'dig')).toThrow(`dig: only loopback (127.0.0.0/8) or lab (198.18.0.0/15) addresses, not ${ip}`);
    }
  });
});
