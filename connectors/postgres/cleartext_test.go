package postgres

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/connectors/egress"
)

// fakeUpstream is a TCP server that speaks enough of PostgreSQL's
// protocol to ask every client for its password in clear text
// (AuthenticationCleartextPassword), refusing TLS, and keeps whatever
// the clients send after that.
type fakeUpstream struct {
	md5  bool // ask for an MD5 password instead
	ln   net.Listener
	wg   sync.WaitGroup
	mu   sync.Mutex
	got  bytes.Buffer
	port int
}

func startFakeUpstream(t *testing.T) *fakeUpstream {
	return startFake(t, false)
}

// startFake starts a fake upstream that asks for an MD5 password when
// md5 is set.
func startFake(t *testing.T, md5 bool) *fakeUpstream {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeUpstream{md5: md5, ln: ln, port: ln.Addr().(*net.TCPAddr).Port}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			f.wg.Add(1)
			go func() {
				defer f.wg.Done()
				f.serve(c)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); f.wg.Wait() })
	return f
}

func (f *fakeUpstream) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	be := pgproto3.NewBackend(c, c)
	for {
		msg, err := be.ReceiveStartupMessage()
		if err != nil {
			return
		}
		if _, ok := msg.(*pgproto3.SSLRequest); ok {
			if _, err := c.Write([]byte("N")); err != nil {
				return
			}
			continue
		}
		if _, ok := msg.(*pgproto3.GSSEncRequest); ok {
			if _, err := c.Write([]byte("N")); err != nil {
				return
			}
			continue
		}
		break
	}
	if f.md5 {
		be.Send(&pgproto3.AuthenticationMD5Password{Salt: [4]byte{1, 2, 3, 4}})
	} else {
		be.Send(&pgproto3.AuthenticationCleartextPassword{})
	}
	if err := be.Flush(); err != nil {
		return
	}
	// The client's next message (a password, when it sends one): keep
	// it, then refuse the login. A client that refuses hangs up first.
	var msg bytes.Buffer
	_, _ = io.CopyN(&msg, c, 5)
	if msg.Len() == 5 {
		n := int64(binary.BigEndian.Uint32(msg.Bytes()[1:])) - 4
		_, _ = io.CopyN(&msg, c, min(max(n, 0), 1<<16))
		be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", Code: "28P01", Message: "password authentication failed"})
		_ = be.Flush()
	}
	f.mu.Lock()
	f.got.Write(msg.Bytes())
	f.mu.Unlock()
}

// login has a connector of cfg (its host, port, user and database set to
// the fake's) test its connection with password, then stops the fake:
// what it received is then complete. It returns the test's error.
func (f *fakeUpstream) login(t *testing.T, cfg Config, password string) error {
	t.Helper()
	cfg.Host, cfg.Port, cfg.User, cfg.Database, cfg.PoolSize = "127.0.0.1", f.port, "u", "d", 2
	conn, err := Open(context.Background(), cfg, password)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	err = conn.Test(ctx)
	cancel()
	conn.Close()
	f.ln.Close()
	f.wg.Wait()
	return err
}

func (f *fakeUpstream) received() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.got.String()
}

// TestCleartextPasswordRefused: a server that asks for the password in
// clear text over a connection without TLS never receives it, unless the
// config opts in with allow_cleartext_password.
func TestCleartextPasswordRefused(t *testing.T) {
	const password = "s3cret-admin-password"
	for _, c := range []struct {
		sslmode string
		allow   bool
		sent    bool
	}{
		{"disable", false, false},
		{"prefer", false, false},
		{"allow", false, false},
		{"disable", true, true},
	} {
		t.Run(c.sslmode+map[bool]string{true: "+allow", false: ""}[c.allow], func(t *testing.T) {
			f := startFakeUpstream(t)
			err := f.login(t, Config{SSLMode: c.sslmode, AllowCleartextPassword: c.allow}, password)
			if err == nil {
				t.Fatal("Test succeeded against a fake server")
			}
			if got := strings.Contains(f.received(), password); got != c.sent {
				t.Fatalf("password received = %v, want %v (err %s)", got, c.sent, connectors.Detail(err))
			}
			if !c.sent {
				var ce *connectors.ConnectError
				if !errors.As(err, &ce) || !ce.Answered || !strings.Contains(err.Error(), "clear text") {
					t.Fatalf("error %v, want a ConnectError saying the server asked for the password in clear text", err)
				}
			}
		})
	}
}

// TestRequireAuth: require_auth refuses the methods it excludes before
// anything is sent (an MD5 hash is offline-guessable by whoever asked
// for it), keeps the cleartext password refused without TLS, and is
// checked when the connection is made.
func TestRequireAuth(t *testing.T) {
	for _, c := range []struct {
		ra, sslmode string
		allow       bool
		want        string // "" for an invalid config
	}{
		{"", "prefer", false, "!password"},
		{"", "require", false, ""},
		{"", "disable", true, ""},
		{"scram-sha-256", "prefer", false, "scram-sha-256"},
		{"!md5", "prefer", false, "!md5,!password"},
		{"!md5,!password", "disable", false, "!md5,!password"},
		{"password", "require", false, "password"},
		{"password,scram-sha-256", "prefer", false, "invalid"},
		{"md5,!password", "prefer", false, "invalid"},
		{"kerberos", "prefer", false, "invalid"},
	} {
		cfg := Config{Host: "h", Port: 5432, User: "u", Database: "d", SSLMode: c.sslmode, PoolSize: 2, AllowCleartextPassword: c.allow, RequireAuth: c.ra}
		got, err := cfg.requireAuth()
		if c.want == "invalid" {
			if !errors.Is(err, connectors.ErrInvalidConfig) {
				t.Errorf("require_auth %q sslmode %s: %q, %v; want an invalid config", c.ra, c.sslmode, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("require_auth %q sslmode %s allow %v: %q, %v; want %q", c.ra, c.sslmode, c.allow, got, err, c.want)
		}
	}

	const password = "s3cret-admin-password"
	for _, ra := range []string{"", "scram-sha-256"} {
		f := startFake(t, true)
		err := f.login(t, Config{SSLMode: "disable", RequireAuth: ra}, password)
		// A PasswordMessage ('p') carries the MD5 response.
		sent := strings.HasPrefix(f.received(), "p")
		if want := ra == ""; sent != want {
			t.Errorf("require_auth %q: an MD5 response sent = %v, want %v (err %v)", ra, sent, want, err)
		}
		if ra != "" && (err == nil || !strings.Contains(connectors.Detail(err)+err.Error(), "md5")) {
			t.Errorf("require_auth %q against an MD5 server: %v (detail %s), want a refusal naming md5", ra, err, connectors.Detail(err))
		}
	}
}

// TestDialerPolicy: connections go through the dialer they are given; a
// denied address fails with a ConnectError that does not say why.
func TestDialerPolicy(t *testing.T) {
	f := startFakeUpstream(t)
	d := egress.NewDialer(egress.DefaultPolicy()) // denies loopback
	raw := []byte(`{"host":"127.0.0.1","port":` + itoa(f.port) + `,"user":"u","database":"d","sslmode":"disable"}`)
	conn, err := Type.Open(context.Background(), raw, "pw", connectors.Env{Dial: d.DialContext})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = conn.Test(ctx)
	if !errors.Is(err, egress.ErrDenied) || !strings.HasSuffix(err.Error(), connectors.Unreachable) ||
		!strings.Contains(connectors.Detail(err), "not an allowed destination") {
		t.Fatalf("Test = %v (detail %s), want a denied destination that reads as unreachable", err, connectors.Detail(err))
	}
	f.ln.Close()
	f.wg.Wait()
	if f.received() != "" {
		t.Fatalf("the denied server received %q", f.received())
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
