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
// ordinary scheduling delay from looking like a loss (at 20 ms, 6 % of the queries of a saturated run
// on 2 shared cores were resent for nothing; bench/RESULTS.md); the ceiling keeps a resend inside the
// overall timeout; the initial value applies until a gateway has answered once.
const (
	minRTO     = 50 * time.Millisecond
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

// maxAttempts bounds the `attempts` option: a slot keeps one ID per copy sent.
const maxAttempts = 5

// slot is one gateway's part in one query. Every copy sent (the first and each resend) has its own
// message ID and call, so a reply says which copy it answers and its round trip is exact.
type slot struct {
	gw     *gateway
	sock   *socket
	ids    [maxAttempts]uint16
	calls  [maxAttempts]*call
	copies int
	done   bool
}

// forget unregisters every copy of a slot that is done with.
func (sl *slot) forget() {
	for k := 0; k < sl.copies; k++ {
		sl.sock.forget(sl.ids[k], sl.calls[k])
	}
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

	// Room for a reply to every copy: a late reply to a first copy may follow the resend's.
	results := make(chan result, len(gws)*f.attempts)
	slots := make([]slot, len(gws))
	calls := make([]call, len(gws)) // the first copies, in one allocation
	waiting := len(gws)
	rto := time.Duration(0)
	for i, g := range gws {
		calls[i] = call{results: results, slot: i, question: question, sent: start}
		s := g.pick()
		id := s.register(&calls[i], baseID)
		slots[i] = slot{gw: g, sock: s, copies: 1}
		slots[i].ids[0], slots[i].calls[0] = id, &calls[i]
		if err := f.write(s, packed, baseID, id); err != nil {
			slots[i].forget()
			slots[i].done = true
			waiting--
			continue
		}
		g.sent(start)
		rto = max(rto, g.rto(minRTO, maxRTO, initialRTO))
	}
	defer func() {
		for i := range slots {
			if !slots[i].done {
				slots[i].forget()
			}
		}
	}()

	var negative, other []byte
	attempt := 1
	nextResend := start.Add(rto)
	// The timer serves resends and, between them, the health re-check every healthInterval.
	timer := time.NewTimer(time.Until(earliest(nextResend, start.Add(f.healthInterval), deadline)))
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
			sl.forget()
			waiting--
			if res.refused {
				continue
			}
			if sl.copies > 1 {
				if res.copy == 0 {
					sl.gw.resendNeedless()
				} else {
					sl.gw.resendNeeded()
				}
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
					sl.forget()
					sl.done = true
					waiting--
				}
			}
			if waiting > 0 && attempt < f.attempts && !now.Before(nextResend) {
				// Resend, under a new ID, to every gateway still silent that looks like it lost the
				// datagram rather than being behind: a lost datagram costs a per-attempt deadline,
				// not an NXDOMAIN, and a busy gateway gets no extra work. An attempt is used up
				// only by a resend; until one is due, look again every minRTO.
				sent := false
				for i := range slots {
					if sl := &slots[i]; !sl.done && sl.copies < maxAttempts && sl.gw.probablyLost(sl.calls[sl.copies-1].sent) {
						c := &call{results: results, slot: i, question: question, sent: now, copy: sl.copies}
						id := sl.sock.register(c, uint16(rand.Uint32()))
						sl.ids[sl.copies], sl.calls[sl.copies] = id, c
						sl.copies++
						resends.Inc()
						_ = f.write(sl.sock, packed, baseID, id)
						sent = true
					}
				}
				if sent {
					attempt++
					rto *= 2
					nextResend = now.Add(rto)
				} else {
					nextResend = now.Add(minRTO)
				}
			}
			if attempt >= f.attempts {
				nextResend = deadline
			}
			timer.Reset(time.Until(earliest(nextResend, now.Add(f.healthInterval), deadline)))
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

func earliest(ts ...time.Time) time.Time {
	e := ts[0]
	for _, t := range ts[1:] {
		if t.Before(e) {
			e = t
		}
	}
	return e
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
