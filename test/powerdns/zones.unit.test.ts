import { describe, expect, it } from 'vitest';
import { compileZone, renderZone, ZoneError, ZoneProps, ZoneRecord } from '../../constructs/zones/index';

const base: ZoneProps = { name: 'static.platform.test', soa: { serial: 2026010101 } };
const withRecords = (...records: ZoneRecord[]): ZoneProps => ({ ...base, records });
const issues = (zone: ZoneProps, nameServerAddress = '127.0.53.53') => compileZone(zone, { nameServerAddress }).issues.map((i) => `${i.field}: ${i.problem}`);

describe('zone renderer', () => {
  it('renders SOA, NS with its glue from the server address, then the records in order', () => {
    const text = renderZone(
      withRecords(
        { name: 'www', type: 'A', address: '192.0.2.1', ttl: 60 },
        { name: 'www', type: 'AAAA', address: '2001:DB8::1', ttl: 60 },
        { name: 'docs', type: 'CNAME', target: 'www.static.platform.test.' },
        { name: '@', type: 'MX', preference: 10, exchange: 'mail.platform.test' },
        { name: '@', type: 'TXT', text: 'say "hi" \\o/' },
        { name: '_sip._tcp', type: 'SRV', priority: 1, weight: 2, port: 5060, target: 'www.static.platform.test' },
        { name: 'x.static.platform.test.', type: 'A', address: '192.0.2.2' },
      ),
      { nameServerAddress: '127.0.53.53' },
    );
    expect(text.split('\n').slice(1)).toEqual([
      '$ORIGIN static.platform.test.',
      '$TTL 300',
      '@         300 IN SOA   ns1.static.platform.test. hostmaster.static.platform.test. 2026010101 3600 600 1209600 60',
      '@         300 IN NS    ns1.static.platform.test.',
      'ns1       300 IN A     127.0.53.53',
      'www        60 IN A     192.0.2.1',
      'www        60 IN AAAA  2001:db8::1',
      'docs      300 IN CNAME www.static.platform.test.',
      '@         300 IN MX    10 mail.platform.test.',
      '@         300 IN TXT   "say \\"hi\\" \\\\o/"',
      '_sip._tcp 300 IN SRV   1 2 5060 www.static.platform.test.',
      'x         300 IN A     192.0.2.2',
      '',
    ]);
  });

  it('splits long TXT into 255-byte strings and writes a dotted mailbox escaped', () => {
    const text = renderZone({ ...base, soa: { serial: 7, hostmaster: 'dns.team@platform.test' }, records: [{ name: 'k', type: 'TXT', text: 'a'.repeat(300) }] }, { nameServerAddress: '127.0.53.53' });
    expect(text).toContain(`"${'a'.repeat(255)}" "${'a'.repeat(45)}"`);
    expect(text).toContain('dns\\.team.platform.test. 7 ');
  });

  it('given name servers are used as written and need no glue outside the zone', () => {
    const text = renderZone({ ...base, nameServers: ['ns1.platform.test', 'ns2.platform.test'] });
    expect(text).toContain('@ 300 IN NS  ns1.platform.test.');
    expect(text).toContain('@ 300 IN NS  ns2.platform.test.');
    expect(text).toContain('IN SOA ns1.platform.test. ');
  });

  it('is deterministic', () => {
    const zone = withRecords({ name: 'a', type: 'A', address: '192.0.2.1' });
    expect(renderZone(zone, { nameServerAddress: '127.0.53.53' })).toBe(renderZone(zone, { nameServerAddress: '127.0.53.53' }));
  });
});

describe('zone validation rejects what PowerDNS or resolvers would get wrong', () => {
  const cases: [string, ZoneProps, string][] = [
    ['CNAME beside other data', withRecords({ name: 'www', type: 'A', address: '192.0.2.1' }, { name: 'www', type: 'CNAME', target: 'web.platform.test' }),
      'records[1].name: www.static.platform.test has a CNAME and other data: A (records[0]); a CNAME must be the only record at its name'],
    ['two CNAMEs at one name', withRecords({ name: 'www', type: 'CNAME', target: 'a.platform.test' }, { name: 'www', type: 'CNAME', target: 'b.platform.test' }),
      'records[0].name: www.static.platform.test has a CNAME and other data: CNAME (records[1])'],
    ['CNAME at the apex', withRecords({ name: '@', type: 'CNAME', target: 'web.platform.test' }), 'records[0].name: a CNAME cannot be at the zone apex'],
    ['a name outside the zone', withRecords({ name: 'www.other.test.', type: 'A', address: '192.0.2.1' }), 'records[0].name: "www.other.test." is outside the zone static.platform.test'],
    ['an absolute name without its dot', withRecords({ name: 'www.static.platform.test', type: 'A', address: '192.0.2.1' }),
      'records[0].name: "www.static.platform.test" looks absolute but has no trailing dot, so it would mean www.static.platform.test.static.platform.test'],
    ['a bad label', withRecords({ name: 'bad name', type: 'A', address: '192.0.2.1' }), 'records[0].name: "bad name" has the label "bad name", which is not a DNS label'],
    ['a negative TTL', withRecords({ name: 'www', type: 'A', address: '192.0.2.1', ttl: -1 }), 'records[0].ttl: -1 is not a TTL'],
    ['a fractional TTL', withRecords({ name: 'www', type: 'A', address: '192.0.2.1', ttl: 1.5 }), 'records[0].ttl: 1.5 is not a TTL'],
    ['a TTL over 2^31-1', { ...base, ttl: 2 ** 31 }, 'ttl: 2147483648 is not a TTL'],
    ['a bad IPv4', withRecords({ name: 'www', type: 'A', address: '192.0.2.300' }), 'records[0].address: "192.0.2.300" is not an IPv4 address'],
    ['an IPv6 address in an A record', withRecords({ name: 'www', type: 'A', address: '2001:db8::1' }), 'records[0].address: "2001:db8::1" is not an IPv4 address (an IPv6 address belongs in an AAAA record)'],
    ['a bad IPv6', withRecords({ name: 'www', type: 'AAAA', address: '2001:db8:::1' }), 'records[0].address: "2001:db8:::1" is not an IPv6 address'],
    ['one record set with two TTLs', withRecords({ name: 'www', type: 'A', address: '192.0.2.1', ttl: 60 }, { name: 'www', type: 'A', address: '192.0.2.2', ttl: 120 }),
      'records[1].ttl: www.static.platform.test A has TTL 120 here but 60 at records[0]'],
    ['a duplicate', withRecords({ name: 'www', type: 'A', address: '192.0.2.1' }, { name: 'www', type: 'A', address: '192.0.2.1' }), 'records[1]: duplicates records[0]'],
    ['MX pointing at a CNAME', withRecords({ name: 'mail', type: 'CNAME', target: 'mx.platform.test' }, { name: '@', type: 'MX', preference: 10, exchange: 'mail.static.platform.test' }),
      'records[1]: MX points at mail.static.platform.test, which is a CNAME'],
    ['an MX preference out of range', withRecords({ name: '@', type: 'MX', preference: 70000, exchange: 'mx.platform.test' }), 'records[0].preference: 70000 is not a number between 0 and 65535'],
    ['a single-label target', withRecords({ name: 'www', type: 'CNAME', target: 'web' }), 'records[0].target: "web" is a single label'],
    ['an SRV name without _service._proto', withRecords({ name: 'ldap', type: 'SRV', priority: 0, weight: 0, port: 389, target: 'ldap.platform.test' }),
      'records[0].name: SRV name ldap.static.platform.test does not start with _service._protocol'],
    ['non-ASCII TXT', withRecords({ name: 'x', type: 'TXT', text: 'grüße' }), 'records[0].text: contains characters other than printable ASCII'],
    ['a bad serial', { ...base, soa: { serial: 0 } }, 'soa.serial: 0 is not an SOA serial'],
    ['a bad hostmaster', { ...base, soa: { serial: 1, hostmaster: 'nobody' } }, 'soa.hostmaster: "nobody" is not an e-mail address'],
    ['an in-zone name server without address', { ...base, nameServers: ['ns9.static.platform.test'] }, 'nameServers[0]: name server ns9.static.platform.test is inside the zone but has no A or AAAA record'],
    ['a bad zone name', { ...base, name: 'Static.Platform.test.' }, 'name: "Static.Platform.test." is not a lower-case DNS name'],
  ];
  for (const [what, zone, message] of cases) {
    it(what, () => {
      expect(issues(zone).join('\n')).toContain(message);
      expect(() => renderZone(zone, { nameServerAddress: '127.0.53.53' })).toThrow(ZoneError);
    });
  }

  it('the default name server needs an address when none is known', () => {
    expect(compileZone(base).issues.map((i) => `${i.field}: ${i.problem}`).join('\n')).toContain('nameServers[0]: name server ns1.static.platform.test is inside the zone but has no A or AAAA record');
  });

  it('a valid zone has no issues (so the cases above fail for their own reason)', () => {
    expect(issues(withRecords({ name: 'www', type: 'A', address: '192.0.2.1' }, { name: '*.apps', type: 'A', address: '192.0.2.2' }, { name: 'docs', type: 'CNAME', target: 'www.static.platform.test' }))).toEqual([]);
  });
});
