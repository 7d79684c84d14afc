import { EXTERNAL_DNS_METRICS_PORT } from '../external-dns/names';
import { PDNS_DNS_PORT } from './names';

/**
 * The readiness check of the PowerDNS container (bash, which the image has): ready once PowerDNS
 * accepts TCP on its DNS port and the pod's external-dns has completed one successful sync (its
 * `external_dns_controller_last_sync_timestamp_seconds` is set only then). The zones from Git are in
 * by then too: the init container loads them before PowerDNS starts. Before this, a new pod would
 * answer NXDOMAIN for every Service name external-dns has not written yet, and resolvers would cache
 * those for the zone's SOA minimum.
 *
 * READY_HOST, DNS_PORT and METRICS_PORT only exist so the tests can run this very text against local
 * processes; in the pod they are unset.
 */
export const READY_SCRIPT = `#!/bin/bash
host=\${READY_HOST:-127.0.0.1}
{ exec 3<>"/dev/tcp/$host/\${DNS_PORT:-${PDNS_DNS_PORT}}"; } 2>/dev/null || { echo "PowerDNS does not accept TCP on its DNS port yet"; exit 1; }
exec 3>&-
{ exec 4<>"/dev/tcp/$host/\${METRICS_PORT:-${EXTERNAL_DNS_METRICS_PORT}}"; } 2>/dev/null || { echo "external-dns is not serving metrics yet"; exit 1; }
printf 'GET /metrics HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&4
grep -Eq '^external_dns_controller_last_sync_timestamp_seconds [1-9]' <&4 || { echo "external-dns has not synced the zones once yet"; exit 1; }
`;
