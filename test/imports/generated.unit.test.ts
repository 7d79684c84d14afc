import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { DnsEndpointCrd } from '../../constructs/external-dns/dns-endpoint-crd';
import * as externaldns from '../../constructs/imports/externaldns.k8s.io';
import * as metallb from '../../constructs/imports/metallb.io';
import * as mizar from '../../constructs/imports/mizar.com';
import { MetalLbCrds } from '../../constructs/metallb/crds';
import { MizarCrds } from '../../constructs/mizar/crds';

interface Crd { spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean }[] } }

/** apiVersion/kind of every class a generated module exports. */
function generatedKinds(module: Record<string, unknown>): string[] {
  return Object.values(module)
    .map((v) => (v as { GVK?: { apiVersion: string; kind: string } }).GVK)
    .filter((gvk): gvk is { apiVersion: string; kind: string } => gvk !== undefined)
    .map((gvk) => `${gvk.apiVersion} ${gvk.kind}`)
    .sort();
}

/** apiVersion/kind of every served version of the CRDs a construct renders. */
function servedKinds(build: (chart: Chart) => void): string[] {
  const chart = new Chart(new App(), 'c');
  build(chart);
  return (chart.toJson() as Crd[]).flatMap((c) => c.spec.versions.filter((v) => v.served).map((v) => `${c.spec.group}/${v.name} ${c.spec.names.kind}`)).sort();
}

describe('constructs/imports (cdk8s import of the CRDs we render)', () => {
  // A CRD change that adds, renames or drops a kind or version without `npm run import:crds` fails here.
  it('has exactly one class per served kind and version of MetalLbCrds, MizarCrds and DnsEndpointCrd', () => {
    expect(generatedKinds(metallb)).toEqual(servedKinds((c) => new MetalLbCrds(c, 'm')));
    expect(generatedKinds(mizar)).toEqual(servedKinds((c) => new MizarCrds(c, 'm')));
    expect(generatedKinds(externaldns)).toEqual(servedKinds((c) => new DnsEndpointCrd(c, 'd')));
  });

  it('writes the fields of the schema it was generated from, in the API spelling (a typed IPAddressPool)', () => {
    const chart = new Chart(new App(), 'c');
    new metallb.IpAddressPool(chart, 'p', { metadata: { name: 'p' }, spec: { addresses: ['192.0.2.0/28'], autoAssign: false, avoidBuggyIPs: true } });
    new metallb.BgpPeerV1Beta2(chart, 'b', { metadata: { name: 'b' }, spec: { myAsn: 64501, peerAsn: 64500, peerAddress: '192.0.2.1' } });
    const [pool, peer] = chart.toJson() as { spec: Record<string, unknown> }[];
    expect(pool.spec).toEqual({ addresses: ['192.0.2.0/28'], autoAssign: false, avoidBuggyIPs: true });
    expect(peer.spec).toEqual({ myASN: 64501, peerASN: 64500, peerAddress: '192.0.2.1' });
  });
});
