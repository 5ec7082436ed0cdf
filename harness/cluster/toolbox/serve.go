package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// serve listens on one or more ports and answers 200 "ok" on its health paths; every other
// path is a 404, so a probe on a wrong path fails the way it does against a real server.
// It exits 0 on SIGTERM or SIGINT (a graceful shutdown). Flags default from the
// environment, so an image's ENV sets its behaviour:
//
//	LISTEN        comma-separated addresses (":8080" or ":8080,:9090")
//	HEALTH_PATHS  comma-separated paths answering 200 (default "/healthz,/ready,/")
//	READY_AFTER   a duration; until it has passed every health path answers 503
//	FAIL_AFTER    a duration; after it has passed every health path answers 500
func serve(args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	listen := fs.String("listen", env("LISTEN", ":8080"), "comma-separated listen addresses")
	paths := fs.String("health-paths", env("HEALTH_PATHS", "/healthz,/ready,/"),
		"comma-separated paths that answer 200")
	readyAfter := fs.Duration("ready-after", envDuration("READY_AFTER"), "unready until then")
	failAfter := fs.Duration("fail-after", envDuration("FAIL_AFTER"), "unhealthy after then")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	started := time.Now()
	healthy := map[string]bool{}
	for _, p := range split(*paths) {
		healthy[p] = true
	}
	var served atomic.Int64
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		if !healthy[r.URL.Path] {
			http.NotFound(w, r)
			return
		}
		age := time.Since(started)
		switch {
		case age < *readyAfter:
			http.Error(w, "starting", http.StatusServiceUnavailable)
		case *failAfter > 0 && age > *failAfter:
			http.Error(w, "unhealthy", http.StatusInternalServerError)
		default:
			fmt.Fprintln(w, "ok")
		}
	})
	errs := make(chan error, 8)
	// Shut down gracefully on SIGTERM/SIGINT and exit 0, as most servers do: a container
	// restarted by its liveness probe then shows exit code 0 ("Completed").
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		sig := <-stop
		fmt.Printf("serve: %v received after %d requests, shutting down\n", sig, served.Load())
		os.Exit(0)
	}()
	for _, addr := range split(*listen) {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			fmt.Fprintf(os.Stderr, "serve: %v\n", err)
			return 1
		}
		fmt.Printf("serve: listening on %s, health paths %s\n", ln.Addr(), *paths)
		go func() { errs <- http.Serve(ln, handler) }()
	}
	err := <-errs
	fmt.Fprintf(os.Stderr, "serve: %v\n", err)
	return 1
}

func env(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func envDuration(key string) time.Duration {
	d, err := time.ParseDuration(os.Getenv(key))
	if err != nil {
		return 0
	}
	return d
}

func split(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
