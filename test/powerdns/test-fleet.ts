import { join } from 'node:path';
import { buildLoopbackFleet } from '../../lab/fleets/loopback-fleet';

/**
 * A loopback fleet (127.0.53.0/24) whose workload cluster pd-y runs PowerDNS (127.0.53.53, gateway
 * 127.0.53.49; the authority of pd-mgmt at 127.0.53.37), so the PowerDNS tests run the synthesized
 * manifests against real processes here.
 */

/** The serial of the typed zone in Git; external-dns's edits must raise it. */
export const STATIC_SERIAL = 2026010101;

const built = buildLoopbackFleet({
  name: 'pd', net: '127.0.53', ttl: 5, mgmtSlot: 2,
  workloads: [{
    name: 'y',
    slot: 3,
    powerdnsZones: [
      {
        name: 'static.platform.test',
        soa: { serial: STATIC_SERIAL },
        ttl: 60,
        records: [
          { name: 'registry', type: 'A', address: '127.0.61.10' },
          { name: 'registry', type: 'AAAA', address: 'fd00:53::10' },
          { name: 'git', type: 'CNAME', target: 'registry.static.platform.test' },
          { name: '@', type: 'MX', preference: 10, exchange: 'mail.platform.test' },
          { name: '@', type: 'TXT', text: 'v=spf1 mx -all' },
          { name: '_ldap._tcp', type: 'SRV', priority: 0, weight: 100, port: 389, target: 'registry.static.platform.test' },
        ],
      },
      { name: 'lab.platform.test', file: join(__dirname, 'zones', 'lab.platform.test.zone') },
    ],
  }],
});
export const pdMgmt = built.mgmt;
export const [pdY] = built.workloads;
export const powerdnsFleet = built.fleet;
