package fleetfanout

import (
	"strings"
	"testing"
	"time"

	"github.com/coredns/caddy"
)

func TestParse(t *testing.T) {
	f, err := parse(caddy.NewTestController("dns", "fleetfanout Tier.Test 127.0.0.1 127.0.0.2:1053 ::1"))
	if err != nil {
		t.Fatal(err)
	}
	if f.zone != "tier.test." || strings.Join(f.to, ",") != "127.0.0.1:53,127.0.0.2:1053,[::1]:53" {
		t.Fatalf("zone %q to %v", f.zone, f.to)
	}
	if f.timeout != 2*time.Second || f.attempts != 3 || f.sockets != 2 || f.healthInterval != 250*time.Millisecond || f.downAfter != time.Second {
		t.Fatalf("defaults: %+v", f)
	}
	f, err = parse(caddy.NewTestController("dns", `fleetfanout tier.test 127.0.0.1 {
		timeout 1500ms
		attempts 2
		sockets 4
		health_check 100ms
		down_after 500ms
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if f.timeout != 1500*time.Millisecond || f.attempts != 2 || f.sockets != 4 || f.healthInterval != 100*time.Millisecond || f.downAfter != 500*time.Millisecond {
		t.Fatalf("options: %+v", f)
	}
}

func TestParseErrors(t *testing.T) {
	for input, want := range map[string]string{
		"fleetfanout tier.test":                                      "Wrong argument count",
		"fleetfanout tier.test gw.example":                           "not an IP address",
		"fleetfanout tier.test 127.0.0.1:0":                          "port",
		"fleetfanout tier.test 127.0.0.1 {\n attempts 9\n}":          "a number from 1 to 5",
		"fleetfanout tier.test 127.0.0.1 {\n timeout soon\n}":        "a duration",
		"fleetfanout tier.test 127.0.0.1 {\n race\n}":                "unknown option",
		"fleetfanout tier.test 127.0.0.1 {\n down_after 100ms\n}":    "shorter than health_check",
		"fleetfanout a.test 127.0.0.1\nfleetfanout b.test 127.0.0.1": "only one",
	} {
		_, err := parse(caddy.NewTestController("dns", input))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: want an error containing %q, got %v", input, want, err)
		}
	}
}
