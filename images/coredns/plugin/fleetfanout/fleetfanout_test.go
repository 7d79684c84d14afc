package fleetfanout

import (
	"context"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coredns/coredns/plugin/pkg/dnstest"
	"github.com/coredns/coredns/plugin/test"
	"github.com/miekg/dns"
)

const zone = "tier.test."

// fakeGateway is a UDP DNS server on loopback whose handler decides per query what to answer, and
// whether to answer at all (a lost datagram).
type fakeGateway struct {
	conn    net.PacketConn
	queries atomic.Int64
	handle  func(q *dns.Msg, nth int64) (reply *dns.Msg, answer bool)
}

func startFake(t *testing.T, handle func(q *dns.Msg, nth int64) (*dns.Msg, bool)) *fakeGateway {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := &fakeGateway{conn: conn, handle: handle}
	go func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				return
			}
			q := new(dns.Msg)
			if q.Unpack(buf[:n]) != nil {
				continue
			}
			if q.Question[0].Name == "." { // health probe: any reply proves the gateway alive
				r := new(dns.Msg)
				r.SetRcode(q, dns.RcodeRefused)
				b, _ := r.Pack()
				conn.WriteTo(b, from)
				continue
			}
			reply, answer := g.handle(q, g.queries.Add(1))
			if !answer {
				continue
			}
			b, _ := reply.Pack()
			conn.WriteTo(b, from)
		}
	}()
	t.Cleanup(func() { conn.Close() })
	return g
}

func (g *fakeGateway) addr() string { return g.conn.LocalAddr().String() }

// holds answers the names under `suffix` with ip and NXDOMAIN (with a SOA) for the rest.
func holds(suffix, ip string) func(q *dns.Msg, _ int64) (*dns.Msg, bool) {
	return func(q *dns.Msg, _ int64) (*dns.Msg, bool) {
		r := new(dns.Msg)
		qn := q.Question[0].Name
		if strings.HasSuffix(qn, suffix) {
			r.SetReply(q)
			if q.Question[0].Qtype == dns.TypeA {
				rr, _ := dns.NewRR(qn + " 30 IN A " + ip)
				r.Answer = append(r.Answer, rr)
			}
			return r, true
		}
		r.SetRcode(q, dns.RcodeNameError)
		soa, _ := dns.NewRR(zone + " 5 IN SOA ns1." + zone + " hostmaster." + zone + " 1 7200 1800 86400 5")
		r.Ns = append(r.Ns, soa)
		return r, true
	}
}

// blackHole is a bound UDP socket that never reads: packets vanish and no ICMP comes back.
func blackHole(t *testing.T) string {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn.LocalAddr().String()
}

// refusing is a loopback port nothing listens on: the kernel answers ICMP port unreachable.
func refusing(t *testing.T) string {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := conn.LocalAddr().String()
	conn.Close()
	return addr
}

func start(t *testing.T, to []string, tune func(f *FleetFanout)) *FleetFanout {
	t.Helper()
	f := newFleetFanout()
	f.zone = zone
	f.to = to
	f.Next = test.ErrorHandler()
	if tune != nil {
		tune(f)
	}
	if err := f.OnStartup(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.OnShutdown() })
	return f
}

func ask(t *testing.T, f *FleetFanout, qname string) (*dns.Msg, time.Duration) {
	t.Helper()
	q := new(dns.Msg)
	q.SetQuestion(qname, dns.TypeA)
	q.Id = 4242
	rec := dnstest.NewRecorder(&test.ResponseWriter{})
	began := time.Now()
	_, err := f.ServeDNS(context.Background(), rec, q)
	took := time.Since(began)
	if rec.Msg == nil {
		t.Fatalf("%s: nothing written (err %v)", qname, err)
	}
	if rec.Msg.Id != q.Id {
		t.Fatalf("%s: reply id %d, want the query's %d", qname, rec.Msg.Id, q.Id)
	}
	return rec.Msg, took
}

func TestFirstPositiveWinsOverEarlierNxdomain(t *testing.T) {
	fast := startFake(t, holds(".nowhere.", "127.0.0.9"))
	slow := startFake(t, func(q *dns.Msg, n int64) (*dns.Msg, bool) {
		time.Sleep(30 * time.Millisecond)
		return holds(".x."+zone, "127.0.0.1")(q, n)
	})
	f := start(t, []string{fast.addr(), slow.addr()}, nil)
	m, _ := ask(t, f, "api.x."+zone)
	if m.Rcode != dns.RcodeSuccess || len(m.Answer) != 1 || m.Answer[0].(*dns.A).A.String() != "127.0.0.1" {
		t.Fatalf("want the slow gateway's A 127.0.0.1 over the fast NXDOMAIN, got %v", m)
	}
}

func TestNxdomainOnlyWhenEveryGatewaySaidSo(t *testing.T) {
	a := startFake(t, holds(".a."+zone, "127.0.0.1"))
	b := startFake(t, holds(".b."+zone, "127.0.0.2"))
	f := start(t, []string{a.addr(), b.addr()}, nil)
	m, _ := ask(t, f, "nobody."+zone)
	if m.Rcode != dns.RcodeNameError || len(m.Ns) != 1 || m.Ns[0].Header().Rrtype != dns.TypeSOA {
		t.Fatalf("want NXDOMAIN with the SOA for negative caching, got %v", m)
	}
	if a.queries.Load() != 1 || b.queries.Load() != 1 {
		t.Fatalf("each gateway asked once, got %d and %d", a.queries.Load(), b.queries.Load())
	}
	if m, _ := ask(t, f, "svc.b."+zone); m.Rcode != dns.RcodeSuccess || len(m.Answer) != 1 {
		t.Fatalf("want b's answer, got %v", m)
	}
}

func TestOutOfZoneGoesToNextPlugin(t *testing.T) {
	a := startFake(t, holds(".a."+zone, "127.0.0.1"))
	f := start(t, []string{a.addr()}, nil)
	q := new(dns.Msg)
	q.SetQuestion("example.org.", dns.TypeA)
	rec := dnstest.NewRecorder(&test.ResponseWriter{})
	rcode, _ := f.ServeDNS(context.Background(), rec, q)
	if rcode != dns.RcodeServerFailure || a.queries.Load() != 0 {
		t.Fatalf("want the next plugin (test.ErrorHandler: SERVFAIL) and no gateway asked, got rcode %d, %d queries", rcode, a.queries.Load())
	}
}

func TestRefusingGatewayIsNotWaitedFor(t *testing.T) {
	live := startFake(t, holds(".live."+zone, "127.0.0.1"))
	f := start(t, []string{live.addr(), refusing(t)}, nil)
	for i := 0; i < 3; i++ {
		m, took := ask(t, f, "nobody."+zone)
		if m.Rcode != dns.RcodeNameError {
			t.Fatalf("want NXDOMAIN, got %v", m)
		}
		if took > 200*time.Millisecond {
			t.Fatalf("query %d: NXDOMAIN took %s with one gateway refusing; a refusal must end the wait at once", i, took)
		}
	}
	if f.gateways[1].healthy.Load() {
		t.Fatal("the refusing gateway is still marked healthy")
	}
}

func TestBlackHoledGatewayLeavesTheNxdomainWaitAfterDetection(t *testing.T) {
	live := startFake(t, holds(".live."+zone, "127.0.0.1"))
	f := start(t, []string{live.addr(), blackHole(t)}, func(f *FleetFanout) {
		f.healthInterval, f.downAfter = 50*time.Millisecond, 300*time.Millisecond
	})
	// Positive answers never wait for it.
	if m, took := ask(t, f, "svc.live."+zone); m.Rcode != dns.RcodeSuccess || took > 100*time.Millisecond {
		t.Fatalf("positive answer with a dead gateway: %v after %s", m, took)
	}
	// Before detection NXDOMAIN waits for the silence to count as down, never for the whole timeout.
	m, took := ask(t, f, "nobody1."+zone)
	if m.Rcode != dns.RcodeNameError || took > 600*time.Millisecond {
		t.Fatalf("first NXDOMAIN: %v after %s; want it once the gateway is detected (down_after 300ms + one probe)", m, took)
	}
	if f.gateways[1].healthy.Load() {
		t.Fatal("the black-holed gateway is still marked healthy")
	}
	for i := 0; i < 5; i++ {
		if m, took := ask(t, f, "nobody2."+zone); m.Rcode != dns.RcodeNameError || took > 50*time.Millisecond {
			t.Fatalf("NXDOMAIN after detection: %v after %s", m, took)
		}
	}
}

func TestEveryGatewaySilentEndsAtTheTimeoutWithServfail(t *testing.T) {
	f := start(t, []string{blackHole(t), blackHole(t)}, func(f *FleetFanout) {
		f.timeout, f.healthInterval, f.downAfter = 300*time.Millisecond, time.Second, 10*time.Second
	})
	q := new(dns.Msg)
	q.SetQuestion("nobody."+zone, dns.TypeA)
	rec := dnstest.NewRecorder(&test.ResponseWriter{})
	began := time.Now()
	rcode, err := f.ServeDNS(context.Background(), rec, q)
	took := time.Since(began)
	if rcode != dns.RcodeServerFailure || err == nil || rec.Msg != nil {
		t.Fatalf("want SERVFAIL left to the server to write, got rcode %d err %v msg %v", rcode, err, rec.Msg)
	}
	if took < 300*time.Millisecond || took > 400*time.Millisecond {
		t.Fatalf("took %s, want the 300ms timeout", took)
	}
}

func TestLostDatagramIsResentNotAnsweredNxdomain(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	// The holder drops the first copy of every query: only a resend gets the answer.
	lossy := startFake(t, func(q *dns.Msg, n int64) (*dns.Msg, bool) {
		mu.Lock()
		seen[q.Question[0].Name]++
		first := seen[q.Question[0].Name] == 1
		mu.Unlock()
		if first {
			return nil, false
		}
		return holds(".held."+zone, "127.0.0.7")(q, n)
	})
	other := startFake(t, holds(".elsewhere."+zone, "127.0.0.8"))
	f := start(t, []string{lossy.addr(), other.addr()}, nil)
	for i := 0; i < 5; i++ {
		m, took := ask(t, f, "svc"+string(rune('a'+i))+".held."+zone)
		if m.Rcode != dns.RcodeSuccess || len(m.Answer) != 1 {
			t.Fatalf("query %d: want the held name's answer after a resend, got %v", i, m)
		}
		if took > 300*time.Millisecond {
			t.Fatalf("query %d took %s: the resend should come after one RTO", i, took)
		}
	}
	if !f.gateways[0].healthy.Load() {
		t.Fatal("lost datagrams marked a live gateway down")
	}
}

func TestTruncatedAnswerIsFetchedOverTCP(t *testing.T) {
	// One port for both: TCP first (any free port), then UDP on the same one, retried if taken.
	var tcp net.Listener
	var udp *fakeGateway
	for i := 0; i < 20 && udp == nil; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		pc, err := net.ListenPacket("udp", l.Addr().String())
		if err != nil {
			l.Close()
			continue
		}
		pc.Close() // free for UDP too: serve there
		tcp = l
		udp = startFakeOn(t, l.Addr().String(), func(q *dns.Msg, _ int64) (*dns.Msg, bool) {
			r := new(dns.Msg)
			r.SetReply(q)
			r.Truncated = true
			return r, true
		})
	}
	if udp == nil {
		t.Fatal("no port free for both TCP and UDP in 20 tries")
	}
	// The same port over TCP serves the full answer.
	srv := &dns.Server{Listener: tcp, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		r, _ := holds("."+zone, "127.0.0.5")(q, 0)
		w.WriteMsg(r)
	})}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	f := start(t, []string{udp.addr()}, nil)
	m, _ := ask(t, f, "big."+zone)
	if m.Truncated || len(m.Answer) != 1 || m.Answer[0].(*dns.A).A.String() != "127.0.0.5" {
		t.Fatalf("want the TCP answer, got %v", m)
	}
}

func TestGatewayComesBackWhenItAnswersAgain(t *testing.T) {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := conn.LocalAddr().String()
	conn.Close() // refusing first
	live := startFake(t, holds(".live."+zone, "127.0.0.1"))
	f := start(t, []string{live.addr(), addr}, func(f *FleetFanout) { f.healthInterval, f.downAfter = 50*time.Millisecond, 300*time.Millisecond })
	ask(t, f, "nobody."+zone)
	deadline := time.Now().Add(2 * time.Second)
	for f.gateways[1].healthy.Load() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if f.gateways[1].healthy.Load() {
		t.Fatal("refusing gateway not marked down")
	}
	startFakeOn(t, addr, holds(".back."+zone, "127.0.0.3"))
	deadline = time.Now().Add(2 * time.Second)
	for !f.gateways[1].healthy.Load() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !f.gateways[1].healthy.Load() {
		t.Fatal("gateway answering probes again is not marked up within 2s")
	}
	if m, _ := ask(t, f, "svc.back."+zone); m.Rcode != dns.RcodeSuccess {
		t.Fatalf("want the returned gateway's answer, got %v", m)
	}
}

// startFakeOn is startFake on a given address.
func startFakeOn(t *testing.T, addr string, handle func(q *dns.Msg, nth int64) (*dns.Msg, bool)) *fakeGateway {
	t.Helper()
	g := &fakeGateway{handle: handle}
	c, err := net.ListenPacket("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	g.conn = c
	go func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := c.ReadFrom(buf)
			if err != nil {
				return
			}
			q := new(dns.Msg)
			if q.Unpack(buf[:n]) != nil {
				continue
			}
			var r *dns.Msg
			if q.Question[0].Name == "." {
				r = new(dns.Msg)
				r.SetRcode(q, dns.RcodeRefused)
			} else {
				r, _ = handle(q, g.queries.Add(1))
			}
			b, _ := r.Pack()
			c.WriteTo(b, from)
		}
	}()
	t.Cleanup(func() { c.Close() })
	return g
}

func TestQuestionHelpers(t *testing.T) {
	q := new(dns.Msg)
	q.SetQuestion("Api.X."+zone, dns.TypeA)
	packed, _ := q.Pack()
	n := questionLen(packed)
	if n != len("Api.X."+zone)+1+4 {
		t.Fatalf("questionLen %d", n)
	}
	r := new(dns.Msg)
	r.SetQuestion("api.x."+zone, dns.TypeA)
	rp, _ := r.Pack()
	if !sameQuestion(rp, packed[12:12+n]) {
		t.Fatal("the same question in another case must match")
	}
	r.SetQuestion("api.y."+zone, dns.TypeA)
	rp, _ = r.Pack()
	if sameQuestion(rp, packed[12:12+n]) {
		t.Fatal("another name must not match")
	}
}
