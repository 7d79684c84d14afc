// Package fleetfanout is a CoreDNS plugin that asks every healthy gateway of a zone at once and
// answers with the first positive reply; NXDOMAIN only once every healthy gateway has said so. See
// README.md.
package fleetfanout

import (
	"context"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/coredns/coredns/plugin"
	clog "github.com/coredns/coredns/plugin/pkg/log"
	"github.com/coredns/coredns/request"
	"github.com/miekg/dns"
)

const name = "fleetfanout"

var log = clog.NewWithPlugin(name)

// Bounds of the per-attempt deadline (the wait before a resend). The floor keeps a busy gateway's
// ordinary scheduling delay from looking like a loss; the ceiling keeps a resend inside the overall
// timeout; the initial value applies until a gateway has answered once.
const (
	minRTO     = 20 * time.Millisecond
	maxRTO     = 500 * time.Millisecond
	initialRTO = 100 * time.Millisecond
)

var errNoAnswer = errors.New("no gateway answered")

// FleetFanout is the plugin: one instance per server block.
type FleetFanout struct {
	Next plugin.Handler

	zone     string
	to       []string
	gateways []*gateway

	timeout        time.Duration // the whole fan-out, resends included
	attempts       int           // sends per gateway and query: the first and the resends
	sockets        int           // pooled sockets per gateway
	healthInterval time.Duration // probe period
	downAfter      time.Duration // silence that marks a gateway down

	stop chan struct{}
	wg   sync.WaitGroup
}

func newFleetFanout() *FleetFanout {
	return &FleetFanout{
		timeout:        2 * time.Second,
		attempts:       3,
		sockets:        2,
		healthInterval: 250 * time.Millisecond,
		downAfter:      time.Second,
	}
}

// Name implements plugin.Handler.
func (f *FleetFanout) Name() string { return name }

// OnStartup opens the sockets and starts the health checks.
func (f *FleetFanout) OnStartup() error {
	for _, addr := range f.to {
		g, err := newGateway(addr, f.sockets, f.healthChanged)
		if err != nil {
			f.OnShutdown()
			return err
		}
		healthy.WithLabelValues(addr).Set(1)
		f.gateways = append(f.gateways, g)
	}
	f.stop = make(chan struct{})
	f.wg.Add(1)
	go f.probe()
	return nil
}

// OnShutdown stops the health checks and closes the sockets.
func (f *FleetFanout) OnShutdown() error {
	if f.stop != nil {
		close(f.stop)
		f.wg.Wait()
		f.stop = nil
	}
	for _, g := range f.gateways {
		g.close()
	}
	f.gateways = nil
	return nil
}

func (f *FleetFanout) healthChanged(g *gateway, up bool, why string) {
	if up {
		healthy.WithLabelValues(g.addr).Set(1)
		log.Infof("gateway %s is up (%s)", g.addr, why)
	} else {
		healthy.WithLabelValues(g.addr).Set(0)
		downs.WithLabelValues(g.addr).Inc()
		log.Warningf("gateway %s is down (%s); NXDOMAIN no longer waits for it", g.addr, why)
	}
}

// probe sends `. NS` to every gateway each healthInterval; any datagram back (a reply to a probe
// or to a query, whatever its rcode) keeps a gateway up, and silence for downAfter marks it down.
func (f *FleetFanout) probe() {
	defer f.wg.Done()
	q := new(dns.Msg)
	q.SetQuestion(".", dns.TypeNS)
	packed, _ := q.Pack()
	t := time.NewTicker(f.healthInterval)
	defer t.Stop()
	for {
		select {
		case <-f.stop:
			return
		case now := <-t.C:
			for _, g := range f.gateways {
				if g.healthy.Load() && g.silentFor(now) > f.downAfter {
					g.markDown("no reply for " + f.downAfter.String())
				}
				binary.BigEndian.PutUint16(packed, uint16(rand.Uint32()))
				_ = g.pick().send(packed)
			}
		}
	}
}

// slot is one gateway's part in one query.
type slot struct {
	gw   *gateway
	sock *socket
	id   uint16
	done bool
}

// ServeDNS implements plugin.Handler.
func (f *FleetFanout) ServeDNS(ctx context.Context, w dns.ResponseWriter, r *dns.Msg) (int, error) {
	state := request.Request{W: w, Req: r}
	if !plugin.Name(f.zone).Matches(state.Name()) {
		return plugin.NextOrFailure(f.Name(), f.Next, ctx, w, r)
	}
	start := time.Now()
	deadline := start.Add(f.timeout)

	// The healthy gateways; all of them if none is, since asking cannot make it worse.
	gws := make([]*gateway, 0, len(f.gateways))
	for _, g := range f.gateways {
		if g.healthy.Load() {
			gws = append(gws, g)
		}
	}
	if len(gws) == 0 {
		gws = f.gateways
	}

	packed, err := r.Pack()
	if err != nil {
		return dns.RcodeFormatError, err
	}
	qlen := questionLen(packed)
	if qlen == 0 {
		return dns.RcodeFormatError, errors.New("not exactly one question")
	}
	question := packed[12 : 12+qlen]
	baseID := uint16(rand.Uint32())

	results := make(chan result, len(gws))
	slots := make([]slot, len(gws))
	calls := make([]call, len(gws))
	waiting := len(gws)
	rto := time.Duration(0)
	for i, g := range gws {
		calls[i] = call{results: results, slot: i, question: question, sent: start}
		s := g.pick()
		id := s.register(&calls[i], baseID)
		slots[i] = slot{gw: g, sock: s, id: id}
		if err := f.write(s, packed, baseID, id); err != nil {
			s.forget(id, &calls[i])
			slots[i].done = true
			waiting--
			continue
		}
		rto = max(rto, g.rto(minRTO, maxRTO, initialRTO))
	}
	defer func() {
		for i := range slots {
			if !slots[i].done {
				slots[i].sock.forget(slots[i].id, &calls[i])
			}
		}
	}()

	var negative, other []byte
	attempt := 1
	timer := time.NewTimer(min(rto, time.Until(deadline)))
	defer timer.Stop()
wait:
	for waiting > 0 {
		select {
		case res := <-results:
			sl := &slots[res.slot]
			if sl.done {
				continue
			}
			sl.done = true
			waiting--
			if res.refused {
				continue
			}
			switch rcode := int(res.msg[3] & 0x0F); rcode {
			case dns.RcodeSuccess: // NOERROR, NODATA included: the first one wins
				positiveCount.Inc()
				return f.reply(ctx, w, r, res.msg, sl.gw, deadline)
			case dns.RcodeNameError:
				if negative == nil {
					negative = res.msg
				}
			default:
				if other == nil {
					other = res.msg
				}
			}
		case now := <-timer.C:
			if !now.Before(deadline) {
				break wait
			}
			// A gateway found down since the query started is no longer waited for.
			for i := range slots {
				if sl := &slots[i]; !sl.done && !sl.gw.healthy.Load() {
					sl.sock.forget(sl.id, &calls[i])
					sl.done = true
					waiting--
				}
			}
			next := f.healthInterval
			if attempt < f.attempts && waiting > 0 {
				// Resend to every gateway still silent: a lost datagram costs one RTO, not an NXDOMAIN.
				attempt++
				rto *= 2
				next = rto
				for i := range slots {
					if sl := &slots[i]; !sl.done {
						sl.sock.mu.Lock()
						calls[i].sent, calls[i].resent = now, true
						sl.sock.mu.Unlock()
						resends.Inc()
						_ = f.write(sl.sock, packed, baseID, sl.id)
					}
				}
			}
			timer.Reset(min(next, time.Until(deadline)))
		case <-ctx.Done():
			break wait
		}
	}
	switch {
	case negative != nil:
		nxdomainCount.Inc()
		return f.reply(ctx, w, r, negative, nil, deadline)
	case other != nil:
		otherCount.Inc()
		return f.reply(ctx, w, r, other, nil, deadline)
	}
	noneCount.Inc()
	return dns.RcodeServerFailure, errNoAnswer
}

// write sends the query packed once, with its ID changed in place for a socket whose pending set
// made it pick another one.
func (f *FleetFanout) write(s *socket, packed []byte, baseID, id uint16) error {
	if id == baseID {
		binary.BigEndian.PutUint16(packed, id)
		return s.send(packed)
	}
	b := make([]byte, len(packed))
	copy(b, packed)
	binary.BigEndian.PutUint16(b, id)
	return s.send(b)
}

// reply writes a gateway's reply as ours. A truncated positive reply is fetched again over TCP from
// the gateway that gave it; if that fails, the truncated one goes out and the client retries.
func (f *FleetFanout) reply(ctx context.Context, w dns.ResponseWriter, r *dns.Msg, raw []byte, from *gateway, deadline time.Time) (int, error) {
	ret := new(dns.Msg)
	if err := ret.Unpack(raw); err != nil {
		return dns.RcodeServerFailure, err
	}
	if ret.Truncated && from != nil {
		c := &dns.Client{Net: "tcp", Timeout: time.Until(deadline)}
		if full, _, err := c.ExchangeContext(ctx, r, from.addr); err == nil {
			ret = full
			tcpFallbacks.Inc()
		}
	}
	ret.Id = r.Id
	if err := w.WriteMsg(ret); err != nil {
		return dns.RcodeServerFailure, err
	}
	// Written: the server must not write an error reply of its own, whatever the rcode.
	return dns.RcodeSuccess, nil
}
