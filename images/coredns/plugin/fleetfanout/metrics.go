package fleetfanout

import (
	"github.com/coredns/coredns/plugin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	healthy = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: plugin.Namespace, Subsystem: name, Name: "gateway_healthy",
		Help: "1 while the gateway is waited for, 0 while it is down.",
	}, []string{"to"})
	downs = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: plugin.Namespace, Subsystem: name, Name: "gateway_down_total",
		Help: "Times the gateway was marked down (refused, or silent for down_after).",
	}, []string{"to"})
	responses = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: plugin.Namespace, Subsystem: name, Name: "responses_total",
		Help: "Queries answered, by outcome: positive (first NOERROR), nxdomain, other (every gateway gave another rcode), none (SERVFAIL, no reply at all).",
	}, []string{"outcome"})
	resends = promauto.NewCounter(prometheus.CounterOpts{
		Namespace: plugin.Namespace, Subsystem: name, Name: "resends_total",
		Help: "Queries sent again to a gateway silent past its per-attempt deadline.",
	})
	tcpFallbacks = promauto.NewCounter(prometheus.CounterOpts{
		Namespace: plugin.Namespace, Subsystem: name, Name: "tcp_fallbacks_total",
		Help: "Truncated positive replies fetched again over TCP.",
	})

	// Bound once: a label lookup per query would cost more than the counter.
	positiveCount = responses.WithLabelValues("positive")
	nxdomainCount = responses.WithLabelValues("nxdomain")
	otherCount    = responses.WithLabelValues("other")
	noneCount     = responses.WithLabelValues("none")
)
