// Command toolbox is the one program inside the local registry's images: a multi-call
// binary (like busybox) whose behaviour is chosen by the name it is called by, or by its
// first argument.
//
//	serve    an HTTP server: answers 200 on its health paths, 404 elsewhere
//	memhog   allocates and touches memory, then holds it (OOM kills by cgroup limit)
//	exiter   exits with a given code, or kills itself with a given signal
//	pause    the pod sandbox's pause process: sleeps, reaps zombies, exits on TERM/INT
//	worker   logs its arguments and runs until SIGTERM (a consumer, a trainer)
//	stress   the memory options of the `stress` tool (memory-limit examples use it)
//
// Standard library only, built static (CGO_ENABLED=0), so it runs on a bare busybox rootfs.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

var commands = map[string]func(args []string) int{
	"serve":  serve,
	"memhog": memhog,
	"exiter": exiter,
	"pause":  pause,
	"stress": stress,
	"worker": worker,
}

func main() {
	name := filepath.Base(os.Args[0])
	args := os.Args[1:]
	if _, ok := commands[name]; !ok && len(args) > 0 {
		name, args = args[0], args[1:]
	}
	run, ok := commands[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "usage: toolbox {%s} [flags]\n", strings.Join(names(), "|"))
		os.Exit(2)
	}
	os.Exit(run(args))
}

func names() []string {
	return []string{"serve", "memhog", "exiter", "pause", "stress", "worker"}
}
