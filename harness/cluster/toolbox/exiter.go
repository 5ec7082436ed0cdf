package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
	"unsafe"
)

var signals = map[string]syscall.Signal{
	"ABRT": syscall.SIGABRT, "BUS": syscall.SIGBUS, "FPE": syscall.SIGFPE,
	"HUP": syscall.SIGHUP, "ILL": syscall.SIGILL, "INT": syscall.SIGINT,
	"KILL": syscall.SIGKILL, "QUIT": syscall.SIGQUIT, "SEGV": syscall.SIGSEGV,
	"TERM": syscall.SIGTERM, "USR1": syscall.SIGUSR1,
}

// exiter prints a message, waits, then exits with a code or dies by a signal: the two ways
// a container's process ends by itself. Defaults come from EXIT_CODE, EXIT_SIGNAL,
// EXIT_AFTER and EXIT_MESSAGE.
//
// A container's PID 1 cannot be killed by a signal it sends itself (the kernel drops
// signals to a PID namespace's init that has no handler), only by a real fault. So SEGV is
// a real invalid memory access; any other signal kills a child process, and PID 1 exits
// 128+N as a shell does when its command dies by signal N (`sh -c "app"` in an image).
func exiter(args []string) int {
	fs := flag.NewFlagSet("exiter", flag.ContinueOnError)
	code := fs.Int("code", atoi(env("EXIT_CODE", "1")), "exit code")
	sig := fs.String("signal", env("EXIT_SIGNAL", ""), "die by this signal (SEGV, KILL, ...)")
	after := fs.Duration("after", envDuration("EXIT_AFTER"), "wait this long first")
	message := fs.String("message", env("EXIT_MESSAGE", ""), "print this to stderr first")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if os.Getenv("EXITER_CHILD") == "" {
		if *message != "" {
			fmt.Fprintln(os.Stderr, *message)
		}
		time.Sleep(*after)
	}
	if *sig == "" {
		return *code
	}
	number, ok := signals[strings.TrimPrefix(strings.ToUpper(*sig), "SIG")]
	if !ok {
		fmt.Fprintf(os.Stderr, "exiter: unknown signal %q\n", *sig)
		return 2
	}
	if number == syscall.SIGSEGV {
		segfault()
	}
	if os.Getpid() == 1 {
		return viaChild(number)
	}
	signalDefault(number)
	_ = syscall.Kill(os.Getpid(), number)
	time.Sleep(time.Second)
	return 128 + int(number)
}

// segfault makes a real invalid memory access with SIGSEGV's default action restored, so
// the kernel kills the process (even a namespace's init) with SIGSEGV: exit status 139.
func segfault() {
	signalDefault(syscall.SIGSEGV)
	var nowhere *int
	*nowhere = 1
}

func viaChild(number syscall.Signal) int {
	self, err := os.Executable()
	if err != nil {
		return 128 + int(number)
	}
	child := exec.Command(self, "exiter", "--signal", signalName(number))
	child.Env = append(os.Environ(), "EXITER_CHILD=1")
	child.Stdout, child.Stderr = os.Stdout, os.Stderr
	_ = child.Run()
	return 128 + int(number)
}

func signalName(number syscall.Signal) string {
	for name, n := range signals {
		if n == number {
			return name
		}
	}
	return ""
}

// signalDefault sets a signal's disposition to SIG_DFL with rt_sigaction, under the Go
// runtime's own handler (signal.Reset would restore Go's behaviour, not the kernel's).
func signalDefault(number syscall.Signal) {
	var action [4]uintptr // handler = SIG_DFL (0), flags, restorer, mask: all zero
	syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(number),
		uintptr(unsafe.Pointer(&action)), 0, 8, 0, 0)
}

func atoi(s string) int {
	var n int
	fmt.Sscanf(s, "%d", &n)
	return n
}
