package wire

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/scram"
)

// emfileListener fails its first fails Accepts as a process out of file
// descriptors does.
type emfileListener struct {
	net.Listener
	fails atomic.Int32
}

func (l *emfileListener) Accept() (net.Conn, error) {
	if l.fails.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.Addr(), Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	}
	return l.Listener.Accept()
}

// TestAcceptSurvivesEMFILE: accept4 failing with "too many open files"
// pauses the accept loop; it does not end it.
func TestAcceptSurvivesEMFILE(t *testing.T) {
	srv, err := NewServer(Config{Handler: &fakeHandler{salt: scram.NewSalt()}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &emfileListener{Listener: inner}
	ln.fails.Store(6)
	var serveErr error
	served := make(chan struct{})
	go func() {
		defer close(served)
		serveErr = srv.Serve(ln)
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-served
		if serveErr != ErrServerClosed {
			t.Errorf("Serve after Shutdown = %v, want ErrServerClosed", serveErr)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := pgconn.Connect(ctx, "postgres://alice:"+testPassword+"@"+inner.Addr().String()+"/db?sslmode=disable")
	if err != nil {
		select {
		case <-served:
			t.Fatalf("Serve stopped on an accept error: %v", serveErr)
		default:
		}
		t.Fatalf("connect after EMFILE: %v", err)
	}
	c.Close(ctx)
	if n := ln.fails.Load(); n >= 0 {
		t.Fatalf("the listener still had %d failures to give", n+1)
	}
}
