package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// memhog allocates SIZE bytes (e.g. 250M, 1Gi) in steps, writing every page so the memory is
// really resident and charged to the container's cgroup, then holds it. Above the cgroup's
// limit the kernel OOM-kills it: the kubelet reports reason OOMKilled, exit code 137.
func memhog(args []string) int {
	fs := flag.NewFlagSet("memhog", flag.ContinueOnError)
	step := fs.String("step", "16M", "allocate this much at a time")
	pause := fs.Duration("step-pause", 50*time.Millisecond, "pause between steps")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	want := env("MEMHOG_SIZE", "")
	if fs.NArg() > 0 {
		want = fs.Arg(0)
	}
	total, err := parseSize(want)
	if err != nil {
		fmt.Fprintf(os.Stderr, "memhog: size %q: %v\n", want, err)
		return 2
	}
	chunk, err := parseSize(*step)
	if err != nil || chunk <= 0 {
		fmt.Fprintf(os.Stderr, "memhog: step %q: invalid\n", *step)
		return 2
	}
	var held [][]byte
	for have := int64(0); have < total; have += chunk {
		n := min(chunk, total-have)
		block := make([]byte, n)
		for i := int64(0); i < n; i += 4096 {
			block[i] = 1
		}
		held = append(held, block)
		fmt.Printf("memhog: %d MiB resident\n", (have+n)>>20)
		time.Sleep(*pause)
	}
	fmt.Printf("memhog: holding %d MiB\n", total>>20)
	for {
		time.Sleep(time.Hour)
		_ = held
	}
}

// parseSize reads 250M, 250Mi, 1G, 1Gi, 4096 (bytes); M and Mi both mean MiB, as in stress.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	units := map[string]int64{"": 1, "k": 1 << 10, "ki": 1 << 10, "m": 1 << 20, "mi": 1 << 20,
		"g": 1 << 30, "gi": 1 << 30}
	i := len(s)
	for i > 0 && (s[i-1] < '0' || s[i-1] > '9') {
		i--
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return 0, err
	}
	unit, ok := units[strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(s[i:], "B"), "b"))]
	if !ok {
		return 0, fmt.Errorf("unknown unit %q", s[i:])
	}
	return n * unit, nil
}
