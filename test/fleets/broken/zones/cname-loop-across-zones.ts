import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `is a loop`,
  fleet: variant((f) => {
    const y = clusterOf(f, 'prod-y');
    y.dns.zones = [
      { name: 'one.platform.example', soa: { serial: 1 }, records: [{ name: 'www', type: 'CNAME', target: 'www.two.platform.example' }] },
      { name: 'two.platform.example', soa: { serial: 1 }, records: [{ name: 'www', type: 'CNAME', target: 'www.one.platform.example' }] },
    ];
  }),
} satisfies BrokenFleet;
