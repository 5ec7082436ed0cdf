package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// stress accepts the memory options of the `stress` tool that Kubernetes' own memory-limit
// examples run (`stress --vm 1 --vm-bytes 250M --vm-hang 1`): --vm N workers each hold
// --vm-bytes of touched memory. Other stress loads (--cpu, --io, --hdd) are not emulated.
func stress(args []string) int {
	workers, size, timeout := 1, "256M", time.Duration(0)
	for i := 0; i < len(args); i++ {
		value := func() string {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch args[i] {
		case "--vm", "-m":
			workers, _ = strconv.Atoi(value())
		case "--vm-bytes":
			size = value()
		case "--timeout", "-t":
			timeout, _ = time.ParseDuration(value() + "s")
		case "--vm-hang", "--vm-stride", "--vm-keep", "--verbose", "-v", "--quiet", "-q":
			if args[i] == "--vm-hang" || args[i] == "--vm-stride" {
				value()
			}
		default:
			fmt.Fprintf(os.Stderr, "stress: option %s is not emulated here\n", args[i])
		}
	}
	bytes, err := parseSize(size)
	if err != nil || workers < 1 {
		fmt.Fprintf(os.Stderr, "stress: bad --vm/--vm-bytes\n")
		return 1
	}
	fmt.Printf("stress: info: dispatching hogs: 0 cpu, 0 io, %d vm, 0 hdd\n", workers)
	if timeout > 0 {
		go func() { time.Sleep(timeout); os.Exit(0) }()
	}
	total := strconv.FormatInt(bytes*int64(workers), 10)
	return memhog([]string{"--step-pause", "10ms", total})
}
