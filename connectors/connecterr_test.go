package connectors

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestNetworkReason(t *testing.T) {
	// A real refused connection and DNS failure, and the errors drivers wrap.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, refused := net.Dial("tcp", addr)
	_, dns := net.DefaultResolver.LookupHost(context.Background(), "no-such-host.invalid")
	d := net.Dialer{Timeout: time.Nanosecond}
	_, timeout := d.Dial("tcp", "192.0.2.1:5432")
	for _, c := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("failed to connect: %w", refused), "connection refused"},
		{fmt.Errorf("lookup: %w", dns), `cannot resolve host "no-such-host.invalid"`},
		{fmt.Errorf("dial: %w", timeout), "timed out after 10s"},
		{fmt.Errorf("tls error: timeout: %w", context.DeadlineExceeded), "timed out after 10s"},
		{&net.OpError{Op: "dial", Err: syscall.EHOSTUNREACH}, "no route to host"},
	} {
		got, ok := NetworkReason(c.err)
		if !ok || !strings.Contains(got, c.want) {
			t.Errorf("NetworkReason(%v) = %q, %v; want %q", c.err, got, ok, c.want)
		}
	}
	if r, ok := NetworkReason(errors.New("syntax error")); ok {
		t.Errorf("a query error is a network reason: %q", r)
	}
	e := &ConnectError{Addr: "db:5432", Reason: "connection refused", Err: refused}
	// A member sees no reason (it would tell a closed port from a
	// silent one); admins and the log read it with Detail.
	if e.Error() != "cannot connect to db:5432: could not connect to the upstream" || !errors.Is(e, syscall.ECONNREFUSED) {
		t.Errorf("ConnectError = %q", e)
	}
	if d := Detail(e); d != "cannot connect to db:5432: connection refused" {
		t.Errorf("Detail(ConnectError) = %q", d)
	}
}
