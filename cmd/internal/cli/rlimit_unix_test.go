//go:build unix

package cli

import (
	"bytes"
	"log/slog"
	"strings"
	"syscall"
	"testing"
)

// TestRaiseOpenFileLimit: the soft limit ends at the hard one, and the
// start-up log says both.
func TestRaiseOpenFileLimit(t *testing.T) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	lowered := lim
	if lim.Max > 256 {
		lowered.Cur = 256
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lowered); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim) })
	}
	var buf bytes.Buffer
	raiseOpenFileLimit(slog.New(slog.NewTextHandler(&buf, nil)))
	var got syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &got); err != nil {
		t.Fatal(err)
	}
	if got.Cur != lim.Max || !strings.Contains(buf.String(), `msg="open file limit"`) {
		t.Fatalf("soft limit %d (hard %d); log: %s", got.Cur, lim.Max, buf.String())
	}
}
