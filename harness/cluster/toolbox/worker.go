package main

import (
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// worker stands in for a long-running process that needs no port (a queue consumer, a
// trainer): it logs its arguments and runs until SIGTERM or SIGINT, then exits 0, so pods
// terminate at once rather than after their grace period.
func worker(args []string) int {
	fmt.Printf("worker: started with arguments [%s]\n", strings.Join(args, " "))
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	sig := <-signals
	fmt.Printf("worker: %v received, exiting\n", sig)
	return 0
}
