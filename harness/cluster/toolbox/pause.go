package main

import (
	"os"
	"os/signal"
	"syscall"
)

// pause holds a pod's namespaces, as registry.k8s.io/pause does: it waits for a signal,
// reaps orphaned children (it is PID 1 when the pod shares its PID namespace), and exits 0
// on SIGINT or SIGTERM.
func pause(args []string) int {
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			return 0
		}
		for {
			var status syscall.WaitStatus
			pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
	return 0
}
