// pause: fleetnet's own sandbox ("pause") program, for the image tools/images builds as
// registry.k8s.io/pause:<catalog version> (the lab has no registry to pull Kubernetes' image from).
// It does what the sandbox container must: hold the pod's namespaces by staying alive, reap the
// zombies of processes re-parented to it (it is PID 1 of a shared PID namespace), and exit 0 on
// SIGINT or SIGTERM. `-v` prints the version. Standard library only: built with `go build main.go`.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is set at link time (-X main.version=...) to the catalog's pause tag.
var version = "dev"

func main() {
	if len(os.Args) > 1 {
		if os.Args[1] == "-v" {
			fmt.Printf("pause (fleetnet) %s\n", version)
			return
		}
		fmt.Fprintf(os.Stderr, "usage: %s [-v]\n", os.Args[0])
		os.Exit(2)
	}
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "pause: warning: not PID 1; zombies of other processes are not mine to reap")
	}
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range signals {
		if s == syscall.SIGCHLD {
			reap()
			continue
		}
		fmt.Fprintf(os.Stderr, "pause: shutting down, got signal %s\n", s)
		os.Exit(0)
	}
}

// reap collects every child that has exited, without blocking.
func reap() {
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}
