package fleetfanout

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// result is what a gateway contributed to one query: its reply, or nothing because it refused.
type result struct {
	slot    int    // index of the gateway in the query's slots
	copy    int    // which copy of the query it answers: 0 the first, 1.. the resends
	msg     []byte // the reply, nil if refused
	refused bool
}

// call is one query waiting for one gateway's reply on one socket. It does not change once
// registered.
type call struct {
	results  chan<- result
	slot     int
	question []byte    // the question section of the request, which the reply must repeat
	sent     time.Time // when this copy was sent
	copy     int       // 0 for the first copy, 1.. for resends
}

// socket is one connected UDP socket to a gateway with its one reader goroutine. Replies are matched
// to queries by message ID (and question), so many queries share it.
type socket struct {
	gw      *gateway
	udp     *net.UDPConn
	mu      sync.Mutex
	pending map[uint16]*call
}

// gateway is one upstream: a few pooled sockets, its health and its round-trip estimate.
type gateway struct {
	addr    string
	sockets []*socket
	next    atomic.Uint32

	healthy   atomic.Bool
	lastReply atomic.Int64 // unix nanoseconds of the newest datagram from it (any reply proves it alive)

	// For telling a lost datagram from a busy gateway (as TCP's RACK does): when the newest query
	// was sent, and the send time of the newest query it has answered.
	lastSent     atomic.Int64
	lastAnswered atomic.Int64
	// How much later a query must have been sent than ours, and answered, before ours counts as
	// lost: it grows when a resend turns out needless (the first copy's reply came after all) and
	// shrinks when one was needed, like RACK's reordering window.
	reorder atomic.Int64

	rttMu  sync.Mutex
	srtt   time.Duration // smoothed RTT (RFC 6298), 0 until the first sample
	rttvar time.Duration

	onChange func(g *gateway, healthy bool, why string)
}

func newGateway(addr string, sockets int, onChange func(*gateway, bool, string)) (*gateway, error) {
	raddr, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, err
	}
	g := &gateway{addr: addr, onChange: onChange}
	for i := 0; i < sockets; i++ {
		udp, err := net.DialUDP("udp", nil, raddr)
		if err != nil {
			g.close()
			return nil, err
		}
		// A burst of replies from many gateways must not overflow the default receive buffer.
		_ = udp.SetReadBuffer(1 << 20)
		g.sockets = append(g.sockets, &socket{gw: g, udp: udp, pending: make(map[uint16]*call)})
	}
	g.healthy.Store(true)
	g.lastReply.Store(time.Now().UnixNano())
	g.reorder.Store(int64(time.Millisecond))
	for _, s := range g.sockets {
		go s.read()
	}
	return g, nil
}

func (g *gateway) close() {
	for _, s := range g.sockets {
		s.udp.Close()
	}
}

// pick returns the next socket, round robin.
func (g *gateway) pick() *socket {
	return g.sockets[int(g.next.Add(1))%len(g.sockets)]
}

func (g *gateway) markUp(why string) {
	if g.healthy.CompareAndSwap(false, true) && g.onChange != nil {
		g.onChange(g, true, why)
	}
}

func (g *gateway) markDown(why string) {
	if g.healthy.CompareAndSwap(true, false) && g.onChange != nil {
		g.onChange(g, false, why)
	}
}

// silentFor is how long the gateway has sent nothing.
func (g *gateway) silentFor(now time.Time) time.Duration {
	return time.Duration(now.UnixNano() - g.lastReply.Load())
}

// sample feeds one round trip. Every copy of a query has its own ID, so a reply's round trip is
// known exactly, also for resent queries (no Karn ambiguity): a gateway slowed down by load is
// sampled at its real latency and its deadline grows with it.
func (g *gateway) sample(rtt time.Duration) {
	g.rttMu.Lock()
	if g.srtt == 0 {
		g.srtt, g.rttvar = rtt, rtt/2
	} else {
		d := g.srtt - rtt
		if d < 0 {
			d = -d
		}
		g.rttvar = (3*g.rttvar + d) / 4
		g.srtt = (7*g.srtt + rtt) / 8
	}
	g.rttMu.Unlock()
}

// sent notes a query's send time.
func (g *gateway) sent(t time.Time) { g.lastSent.Store(t.UnixNano()) }

// answered notes the send time of a query just answered, if it is the newest so far.
func (g *gateway) answered(sent time.Time) {
	ns := sent.UnixNano()
	for i := 0; i < 8; i++ {
		old := g.lastAnswered.Load()
		if ns <= old || g.lastAnswered.CompareAndSwap(old, ns) {
			return
		}
	}
}

// probablyLost reports whether a query sent at `sent` and still unanswered past its deadline should
// be resent. Yes if the gateway has since answered a query sent clearly later (by the reordering
// window: replies to queries sent close together come back in any order, and a busy CoreDNS with
// GOMAXPROCS=1 runs the newest request first),
// or if no later query was sent, so nothing tells loss from delay. No while later queries are all
// still unanswered: the gateway is behind, and a resend would only queue behind them.
func (g *gateway) probablyLost(sent time.Time) bool {
	window := time.Duration(g.reorder.Load())
	ns := sent.UnixNano()
	if g.lastAnswered.Load() > ns+int64(window) {
		return true
	}
	return g.lastSent.Load() <= ns // nothing sent after it: no later answer can tell
}

// resendNeedless notes a resend whose first copy was answered after all: the gateway reorders more
// than the window allowed for, so the window grows by half (at most maxReorder).
func (g *gateway) resendNeedless() {
	g.reorder.Store(min(g.reorder.Load()*3/2, int64(maxReorder)))
}

// maxReorder bounds the reordering window, so that a datagram lost while the window is at its widest
// is still resent well inside the overall timeout.
const maxReorder = 200 * time.Millisecond

// resendNeeded notes a resend that got the answer while the first copy got none: the window shrinks
// by a quarter (at least 1 ms).
func (g *gateway) resendNeeded() {
	g.reorder.Store(max(g.reorder.Load()*3/4, int64(time.Millisecond)))
}

// rto is the wait before a resend to this gateway: srtt + 4 rttvar, within [lo, hi].
func (g *gateway) rto(lo, hi, initial time.Duration) time.Duration {
	g.rttMu.Lock()
	srtt, rttvar := g.srtt, g.rttvar
	g.rttMu.Unlock()
	d := initial
	if srtt > 0 {
		d = srtt + 4*rttvar
	}
	return min(max(d, lo), hi)
}

// register adds c under a free message ID, preferring `want`, and returns the ID.
func (s *socket) register(c *call, want uint16) uint16 {
	s.mu.Lock()
	id := want
	for i := 0; i < 64; i++ {
		if _, taken := s.pending[id]; !taken {
			break
		}
		id = uint16(rand.Uint32())
	}
	// 64 collisions in a row means tens of thousands of queries are outstanding on this one socket:
	// the newest wins the ID and the older one times out.
	s.pending[id] = c
	s.mu.Unlock()
	return id
}

// forget removes c if it still waits under id.
func (s *socket) forget(id uint16, c *call) {
	s.mu.Lock()
	if s.pending[id] == c {
		delete(s.pending, id)
	}
	s.mu.Unlock()
}

// send writes the packed query; a refusal (ICMP port unreachable seen on this socket) is reported.
func (s *socket) send(packed []byte) error {
	_, err := s.udp.Write(packed)
	if err != nil && errors.Is(err, syscall.ECONNREFUSED) {
		s.gw.markDown("refused")
	}
	return err
}

func (s *socket) read() {
	buf := make([]byte, 65535)
	for {
		n, err := s.udp.Read(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if errors.Is(err, syscall.ECONNREFUSED) {
				// ICMP port unreachable: nothing listens there. Every query waiting on this socket
				// stops waiting for this gateway now instead of at its deadline.
				s.gw.markDown("refused")
				s.failAll()
				continue
			}
			// Anything else (out of memory, a transient error): back off briefly rather than spin.
			time.Sleep(10 * time.Millisecond)
			continue
		}
		now := time.Now()
		s.gw.lastReply.Store(now.UnixNano())
		if !s.gw.healthy.Load() {
			s.gw.markUp("replied")
		}
		if n < 12 || buf[2]&0x80 == 0 {
			continue // too short for a header, or not a response
		}
		id := binary.BigEndian.Uint16(buf)
		s.mu.Lock()
		c := s.pending[id]
		if c != nil && sameQuestion(buf[:n], c.question) {
			delete(s.pending, id)
		} else {
			c = nil // a late reply, a probe's reply, or a reply to an ID since reused
		}
		s.mu.Unlock()
		if c == nil {
			continue
		}
		s.gw.sample(now.Sub(c.sent))
		s.gw.answered(c.sent)
		msg := make([]byte, n)
		copy(msg, buf[:n])
		// The channel holds one result per gateway of the query and a call is delivered once, so
		// this never blocks.
		c.results <- result{slot: c.slot, copy: c.copy, msg: msg}
	}
}

func (s *socket) failAll() {
	s.mu.Lock()
	calls := make([]*call, 0, len(s.pending))
	for id, c := range s.pending {
		calls = append(calls, c)
		delete(s.pending, id)
	}
	s.mu.Unlock()
	for _, c := range calls {
		c.results <- result{slot: c.slot, refused: true}
	}
}

// sameQuestion reports whether a reply repeats the question section q (ASCII case-insensitive,
// since a server may echo the name with other case).
func sameQuestion(reply, q []byte) bool {
	if binary.BigEndian.Uint16(reply[4:]) != 1 || len(reply) < 12+len(q) {
		return false
	}
	r := reply[12 : 12+len(q)]
	for i := range q {
		a, b := q[i], r[i]
		if a != b && lower(a) != lower(b) {
			return false
		}
	}
	return true
}

func lower(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// questionLen is the length of the one question section of a packed query starting at offset 12,
// or 0 if it is malformed. The first name of a message is never compressed.
func questionLen(packed []byte) int {
	if len(packed) < 12 || binary.BigEndian.Uint16(packed[4:]) != 1 {
		return 0
	}
	i := 12
	for i < len(packed) {
		l := int(packed[i])
		if l == 0 {
			i++
			if i+4 > len(packed) {
				return 0
			}
			return i + 4 - 12
		}
		if l&0xC0 != 0 {
			return 0
		}
		i += l + 1
	}
	return 0
}
