// Command coredns is fleetnet's CoreDNS distribution: a fixed set of stock plugins, the external
// fanout and k8s_gateway plugins and our own fleetfanout (plugin/fleetfanout), compiled as a library build (coremain.Run) instead of
// regenerating CoreDNS's plugin.cfg. See README.md for the plugin order and the reasons behind it.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	// Stock plugins (github.com/coredns/coredns/plugin/...). The prometheus directive lives in
	// package metrics.
	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/file"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/hosts"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/metrics"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
	_ "github.com/coredns/coredns/plugin/rewrite"
	_ "github.com/coredns/coredns/plugin/template"

	// External plugins.
	_ "github.com/k8s-gateway/k8s_gateway"
	_ "github.com/networkservicemesh/fanout"

	// Our plugins (this module).
	_ "fleetnet/images/coredns/plugin/fleetfanout"
)

// directives is the plugin chain order. A query passes through the plugins a server block uses
// in this order, whatever their order in the Corefile. The stock names keep their relative order
// from CoreDNS's plugin.cfg (v1.14.7); the two external plugins are slotted in:
//   - k8s_gateway where plugin.cfg has k8s_external, i.e. immediately before kubernetes (that is
//     where k8s_gateway's own cmd/coredns.go and README put it);
//   - fanout immediately after forward, behind cache, so cached answers never fan out;
//   - fleetfanout (ours, the tier authority's alternative to fanout) right after fanout, for the
//     same reason.
//
// Only directives listed here may appear in a Corefile; anything else is rejected at startup as
// an unknown directive, even if a dependency happens to register it (fanout pulls in debug,
// dnstap and metadata). bind is the one addition beyond the plugins we deploy with: it pins a
// server to an address, which the local tests need (they listen on 127.0.0.x only).
var directives = []string{
	"reload",
	"bind",
	"ready",
	"health",
	"prometheus",
	"errors",
	"log",
	"loadbalance",
	"rewrite",
	"cache",
	"template",
	"hosts",
	"k8s_gateway",
	"kubernetes",
	"file",
	"loop",
	"forward",
	"fanout",
	"fleetfanout",
}

func init() {
	dnsserver.Directives = directives
}

func main() {
	coremain.Run()
}
