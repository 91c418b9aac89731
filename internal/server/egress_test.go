package server_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/server"
)

// phishingUpstream is a TCP server speaking just enough of PostgreSQL's
// protocol to ask every client for its password in clear text (refusing
// TLS); it keeps what clients send after that and counts connections.
type phishingUpstream struct {
	ln       net.Listener
	port     int
	wg       sync.WaitGroup
	accepted atomic.Int32
	mu       sync.Mutex
	got      bytes.Buffer
}

func startPhishingUpstream(t *testing.T) *phishingUpstream {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := &phishingUpstream{ln: ln, port: ln.Addr().(*net.TCPAddr).Port}
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u.accepted.Add(1)
			u.wg.Add(1)
			go func() {
				defer u.wg.Done()
				u.serve(c)
			}()
		}
	}()
	t.Cleanup(u.stop)
	return u
}

func (u *phishingUpstream) stop() {
	u.ln.Close()
	u.wg.Wait()
}

func (u *phishingUpstream) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	be := pgproto3.NewBackend(c, c)
	for {
		msg, err := be.ReceiveStartupMessage()
		if err != nil {
			return
		}
		switch msg.(type) {
		case *pgproto3.SSLRequest, *pgproto3.GSSEncRequest:
			if _, err := c.Write([]byte("N")); err != nil {
				return
			}
			continue
		}
		break
	}
	be.Send(&pgproto3.AuthenticationCleartextPassword{})
	if err := be.Flush(); err != nil {
		return
	}
	var msg bytes.Buffer
	_, _ = io.CopyN(&msg, c, 5)
	if msg.Len() == 5 {
		n := int64(binary.BigEndian.Uint32(msg.Bytes()[1:])) - 4
		_, _ = io.CopyN(&msg, c, min(max(n, 0), 1<<16))
		be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", Code: "28P01", Message: "password authentication failed"})
		_ = be.Flush()
	}
	u.mu.Lock()
	u.got.Write(msg.Bytes())
	u.mu.Unlock()
}

// received is what clients sent after the password request, once every
// connection is over.
func (u *phishingUpstream) received() string {
	u.stop()
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.got.String()
}

func pgConnection(name, host string, port int, secret string) map[string]any {
	body := map[string]any{"name": name, "source_type": "postgres",
		"config": map[string]any{"host": host, "port": port, "user": "reader", "database": "shop", "sslmode": "disable"}}
	if secret != "" {
		body["secret_name"] = secret
	}
	return body
}

// TestSecretBoundToHost: a member cannot send an admin's secret to a
// host of their choosing (403), only to the host:port of a connection
// that already uses it; and no upstream ever receives a password it asks
// for in clear text over a connection without TLS, not even through an
// admin's connection.
func TestSecretBoundToHost(t *testing.T) {
	const password = "s3cret-admin-password"
	h := hdtest.Start(t)
	_, member := invite(t, h, hdtest.Token, "default", map[string]any{"email": "mallory@example.com", "role": "member"})
	h.API("POST", "/v1/secrets", map[string]any{"name": "admin_pw", "value": password}, http.StatusCreated)

	legit := startPhishingUpstream(t) // the admin's upstream (asks for clear text too: see below)
	h.API("POST", "/v1/connections", pgConnection("legit", "127.0.0.1", legit.port, "admin_pw"), http.StatusCreated)

	// The member's own server: the admin's secret must never reach it.
	evil := startPhishingUpstream(t)
	failAs(t, h, member, h.WSID, "POST", "/v1/connections", pgConnection("steal", "127.0.0.1", evil.port, "admin_pw"),
		http.StatusForbidden, "FORBIDDEN", "admin_pw", "admin role")
	// The same server under another name is another endpoint.
	failAs(t, h, member, h.WSID, "POST", "/v1/connections", pgConnection("steal2", "localhost", legit.port, "admin_pw"),
		http.StatusForbidden, "FORBIDDEN")
	// Nor on that host:port through another source type (Snowflake over
	// http would post the password in clear text), nor with weaker
	// transport settings than the connection it serves.
	failAs(t, h, member, h.WSID, "POST", "/v1/connections", map[string]any{"name": "steal3", "source_type": "snowflake", "secret_name": "admin_pw",
		"config": map[string]any{"account": "a", "user": "reader", "database": "d", "host": "127.0.0.1", "port": legit.port, "protocol": "http"}},
		http.StatusForbidden, "FORBIDDEN", "transport")
	weak := pgConnection("steal4", "127.0.0.1", legit.port, "admin_pw")
	weak["config"].(map[string]any)["allow_cleartext_password"] = true
	failAs(t, h, member, h.WSID, "POST", "/v1/connections", weak, http.StatusForbidden, "FORBIDDEN")
	// A member may reuse the secret with the host:port it serves.
	out := callAs(t, h, member, h.WSID, "POST", "/v1/connections", pgConnection("mine", "127.0.0.1", legit.port, "admin_pw"), http.StatusCreated)
	if out["discovery_status"] != "failed" || !strings.Contains(fmt.Sprint(out["discovery_error"]), "clear text") {
		t.Fatalf("discovery against a server asking for a clear-text password: %v", out)
	}
	// An admin may attach it anywhere; the password still does not
	// travel in clear text.
	h.API("POST", "/v1/connections", pgConnection("elsewhere", "127.0.0.1", evil.port, "admin_pw"), http.StatusCreated)

	if got := evil.received(); strings.Contains(got, password) {
		t.Fatalf("the member's server received the admin's password: %q", got)
	}
	if got := legit.received(); strings.Contains(got, password) {
		t.Fatalf("a server asking for a clear-text password without TLS received it: %q", got)
	}
	if evil.accepted.Load() == 0 {
		t.Fatal("the admin's connection never reached its server: the test proves nothing about clear text")
	}
}

// TestEgressDeniedAtCreate: with the default policy, a connection to a
// loopback address, to a name that resolves to one, or to a metadata
// address is refused when created (422 EGRESS_DENIED), whoever asks, and
// nothing connects to it.
func TestEgressDeniedAtCreate(t *testing.T) {
	h := hdtest.Start(t, func(c *server.Config) { c.EgressAllow = nil })
	_, member := invite(t, h, hdtest.Token, "default", map[string]any{"email": "mallory@example.com", "role": "member"})
	up := startPhishingUpstream(t)
	for i, host := range []string{"127.0.0.1", "localhost", "::1", "::ffff:127.0.0.1", "169.254.169.254", "fd00:ec2::254", "10.0.0.1", "/var/run/postgresql"} {
		for _, token := range []string{hdtest.Token, member} {
			body := pgConnection(fmt.Sprintf("c%d", i), host, up.port, "")
			body["config"].(map[string]any)["password"] = "pw"
			failAs(t, h, token, h.WSID, "POST", "/v1/connections", body, http.StatusUnprocessableEntity, "EGRESS_DENIED")
		}
	}
	// Allowing loopback does not allow metadata addresses.
	h2 := hdtest.Start(t, func(c *server.Config) {
		c.EgressAllow = append(hdtest.TestUpstreamNetworks(), mustPrefixes(t, "0.0.0.0/0", "::/0")...)
	})
	for _, host := range []string{"169.254.169.254", "fd00:ec2::254"} {
		body := pgConnection("meta", host, 80, "")
		failAs(t, h2, hdtest.Token, h2.WSID, "POST", "/v1/connections", body, http.StatusUnprocessableEntity, "EGRESS_DENIED")
	}
	if n := up.accepted.Load(); n != 0 {
		t.Fatalf("a denied upstream was connected to %d times", n)
	}
}

// TestEgressDeniedAtDial: a connection made while its host was allowed
// is refused at every later dial once the policy denies it (as it would
// be when its name comes to resolve to a denied address): nothing
// connects, an admin reads why, a member only that it could not connect.
func TestEgressDeniedAtDial(t *testing.T) {
	dir := t.TempDir()
	start := func(allow bool) *server.Process {
		cfg := server.Default(server.RoleControl)
		cfg.DataDir, cfg.HTTPAddr, cfg.PGAddr, cfg.BootstrapToken = dir, "127.0.0.1:0", "", hdtest.Token
		cfg.EngineThreads, cfg.EngineMemoryBytes = 2, 1<<30
		if allow {
			hdtest.AllowTestUpstreams(&cfg)
		}
		p, err := server.Start(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	stop := func(p *server.Process) {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := p.Stop(ctx); err != nil {
			t.Error(err)
		}
	}
	up := startPhishingUpstream(t)
	p := start(true)
	h := &hdtest.Harness{T: t, P: p, DataDir: dir, WSID: "default"}
	_, member := invite(t, h, hdtest.Token, "default", map[string]any{"email": "mallory@example.com", "role": "member"})
	body := pgConnection("up", "127.0.0.1", up.port, "")
	body["config"].(map[string]any)["password"] = "pw"
	body["skip_discovery"] = true
	id := h.API("POST", "/v1/connections", body, http.StatusCreated)["id"].(string)
	stop(p)

	p = start(false)
	defer stop(p)
	h.P = p
	admin := h.API("GET", "/v1/connections/"+id+"/health", nil, http.StatusOK)
	if e := fmt.Sprint(admin["error"]); admin["healthy"] != false || !strings.Contains(e, "not an allowed destination") {
		t.Fatalf("admin's health of a denied upstream: %v", admin)
	}
	mem := callAs(t, h, member, h.WSID, "GET", "/v1/connections/"+id+"/health", nil, http.StatusOK)
	if e := fmt.Sprint(mem["error"]); !strings.HasSuffix(e, "could not connect to the upstream") || strings.Contains(e, "allowed") {
		t.Fatalf("member's health of a denied upstream: %v", mem)
	}
	if n := up.accepted.Load(); n != 0 {
		t.Fatalf("a denied upstream was connected to %d times", n)
	}
}

// TestDiscoveryErrorsDoNotScan: to a member, a closed port, a silent
// one and one where another protocol answers read the same in
// discovery_error; an admin gets the reason.
func TestDiscoveryErrorsDoNotScan(t *testing.T) {
	h := hdtest.Start(t)
	_, member := invite(t, h, hdtest.Token, "default", map[string]any{"email": "mallory@example.com", "role": "member"})
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	other, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	go func() {
		for {
			c, err := other.Accept()
			if err != nil {
				return
			}
			_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
			c.Close()
		}
	}()
	otherPort := other.Addr().(*net.TCPAddr).Port
	discover := func(token, name string, port int) string {
		body := pgConnection(name, "127.0.0.1", port, "")
		body["config"].(map[string]any)["password"] = "pw"
		out := callAs(t, h, token, h.WSID, "POST", "/v1/connections", body, http.StatusCreated)
		if out["discovery_status"] != "failed" {
			t.Fatalf("discovery of %d: %v", port, out)
		}
		return strings.ReplaceAll(fmt.Sprint(out["discovery_error"]), fmt.Sprint(port), "PORT")
	}
	a, b := discover(member, "m_closed", closedPort), discover(member, "m_other", otherPort)
	if a != b || !strings.Contains(a, "could not connect to the upstream") {
		t.Fatalf("a member tells a closed port from another protocol:\n  closed: %s\n  other:  %s", a, b)
	}
	a, b = discover(hdtest.Token, "a_closed", closedPort), discover(hdtest.Token, "a_other", otherPort)
	if a == b || !strings.Contains(a, "connection refused") {
		t.Fatalf("an admin reads no reason:\n  closed: %s\n  other:  %s", a, b)
	}
}

func mustPrefixes(t *testing.T, s ...string) []netip.Prefix {
	t.Helper()
	var out []netip.Prefix
	for _, p := range s {
		out = append(out, netip.MustParsePrefix(p))
	}
	return out
}
