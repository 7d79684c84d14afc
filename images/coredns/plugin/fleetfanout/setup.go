package fleetfanout

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/coredns/caddy"
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/plugin"
)

// maxGateways bounds the TO list: every query is sent to each of them.
const maxGateways = 100

func init() { plugin.Register(name, setup) }

func setup(c *caddy.Controller) error {
	f, err := parse(c)
	if err != nil {
		return plugin.Error(name, err)
	}
	c.OnStartup(f.OnStartup)
	c.OnShutdown(f.OnShutdown)
	dnsserver.GetConfig(c).AddPlugin(func(next plugin.Handler) plugin.Handler {
		f.Next = next
		return f
	})
	return nil
}

func parse(c *caddy.Controller) (*FleetFanout, error) {
	var f *FleetFanout
	for c.Next() {
		if f != nil {
			return nil, c.Err("only one fleetfanout per server block")
		}
		f = newFleetFanout()
		args := c.RemainingArgs()
		if len(args) < 2 {
			return nil, c.ArgErr()
		}
		f.zone = plugin.Name(args[0]).Normalize()
		for _, to := range args[1:] {
			addr, err := hostPort(to)
			if err != nil {
				return nil, c.Errf("gateway %q: %v", to, err)
			}
			f.to = append(f.to, addr)
		}
		if len(f.to) > maxGateways {
			return nil, c.Errf("%d gateways, at most %d", len(f.to), maxGateways)
		}
		for c.NextBlock() {
			if err := option(c, f); err != nil {
				return nil, err
			}
		}
	}
	if f == nil {
		return nil, c.ArgErr()
	}
	if f.downAfter < f.healthInterval {
		return nil, fmt.Errorf("down_after %s is shorter than health_check %s: a healthy gateway would be marked down between two probes", f.downAfter, f.healthInterval)
	}
	return f, nil
}

func option(c *caddy.Controller, f *FleetFanout) error {
	key := c.Val()
	switch key {
	case "timeout", "attempts", "sockets", "health_check", "down_after":
	default:
		return c.Errf("unknown option %q (timeout, attempts, sockets, health_check, down_after)", key)
	}
	args := c.RemainingArgs()
	if len(args) != 1 {
		return c.ArgErr()
	}
	duration := func(lo, hi time.Duration) (time.Duration, error) {
		d, err := time.ParseDuration(args[0])
		if err != nil || d < lo || d > hi {
			return 0, c.Errf("%s %q: a duration from %s to %s", key, args[0], lo, hi)
		}
		return d, nil
	}
	count := func(lo, hi int) (int, error) {
		n, err := strconv.Atoi(args[0])
		if err != nil || n < lo || n > hi {
			return 0, c.Errf("%s %q: a number from %d to %d", key, args[0], lo, hi)
		}
		return n, nil
	}
	var err error
	switch key {
	case "timeout":
		f.timeout, err = duration(10*time.Millisecond, time.Minute)
	case "attempts":
		f.attempts, err = count(1, maxAttempts)
	case "sockets":
		f.sockets, err = count(1, 16)
	case "health_check":
		f.healthInterval, err = duration(10*time.Millisecond, time.Minute)
	case "down_after":
		f.downAfter, err = duration(10*time.Millisecond, 10*time.Minute)
	}
	return err
}

// hostPort accepts IP or IP:port (port 53 by default); gateways are addresses, never names.
func hostPort(s string) (string, error) {
	host, port := s, "53"
	if h, p, err := net.SplitHostPort(s); err == nil {
		host, port = h, p
	}
	if net.ParseIP(host) == nil {
		return "", fmt.Errorf("not an IP address (IP or IP:port)")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("port %q is not 1 to 65535", port)
	}
	return net.JoinHostPort(host, port), nil
}
