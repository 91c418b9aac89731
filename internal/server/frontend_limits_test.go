package server_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/server"
)

// dialerFrom dials from a given loopback address (Linux routes all of
// 127/8 to lo), to play clients on distinct hosts.
func dialerFrom(ip string) *net.Dialer {
	return &net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
}

// pgConnectFrom connects with pgx from a given source address.
func pgConnectFrom(t *testing.T, url, ip string) (*pgx.Conn, error) {
	t.Helper()
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DialFunc = dialerFrom(ip).DialContext
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err == nil {
		t.Cleanup(func() { c.Close(context.Background()) })
	}
	return c, err
}

// halfOpen sends a start-up packet from ip and returns the connection
// with the server's first answer; it never answers the SASL request.
func halfOpen(t *testing.T, addr, ip string) (net.Conn, pgproto3.BackendMessage) {
	t.Helper()
	nc, err := dialerFrom(ip).Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": "admin", "database": "default"}})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	msg, err := fe.Receive()
	if err != nil {
		t.Fatalf("first answer to a start-up packet: %v", err)
	}
	return nc, msg
}

// TestHalfOpenHandshakesDoNotLockOut: clients that start up and never
// finish SASL take neither MaxConns nor more than their address's share
// of unauthenticated slots; a real client still logs in, and the
// half-open ones are closed after the authentication timeout.
func TestHalfOpenHandshakesDoNotLockOut(t *testing.T) {
	h := hdtest.Start(t, func(c *server.Config) {
		c.PGMaxConnections = 2
		c.PGMaxHandshakes = 8
		c.PGMaxHandshakesPerAddress = 4
		c.PGAuthTimeout = 2 * time.Second
		c.PGHandshakeWait = 100 * time.Millisecond
	})
	var held []net.Conn
	refused := 0
	for i := 0; i < 7; i++ {
		nc, msg := halfOpen(t, h.P.PGAddr(), "127.0.0.1")
		switch m := msg.(type) {
		case *pgproto3.AuthenticationSASL:
			held = append(held, nc)
		case *pgproto3.ErrorResponse:
			if m.Code != "53300" || !strings.Contains(m.Message, "still authenticating") {
				t.Fatalf("half-open %d refused with %s %q", i, m.Code, m.Message)
			}
			refused++
		default:
			t.Fatalf("half-open %d: unexpected %T", i, msg)
		}
	}
	if len(held) != 4 || refused != 3 {
		t.Fatalf("%d half-open connections held, %d refused; want 4 and 3", len(held), refused)
	}
	// More than PGMaxConnections are half open, yet clients log in.
	for _, ip := range []string{"127.0.0.2", "127.0.0.3"} {
		c, err := pgConnectFrom(t, h.PGURL(testToken, "default", "disable"), ip)
		if err != nil {
			t.Fatalf("real client from %s: %v", ip, err)
		}
		var one int
		if err := c.QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil || one != 1 {
			t.Fatalf("query: %v", err)
		}
	}
	// The held ones end once PGAuthTimeout passes.
	for i, nc := range held {
		_ = nc.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.Copy(io.Discard, nc); err != nil && !errors.Is(err, net.ErrClosed) && !isReset(err) {
			t.Fatalf("half-open %d not closed by the server: %v", i, err)
		}
	}
	// Their slots are free again.
	if _, msg := halfOpen(t, h.P.PGAddr(), "127.0.0.1"); func() bool { _, ok := msg.(*pgproto3.AuthenticationSASL); return !ok }() {
		t.Fatalf("after the timeout a new start-up got %#v", msg)
	}
}

// TestHandshakeWaitsForASlot: a connection past the per-address cap
// waits for a slot instead of being refused, so a pool that opens many
// connections at once from one address gets all of them; one that finds
// no slot within PGHandshakeWait is refused.
func TestHandshakeWaitsForASlot(t *testing.T) {
	h := hdtest.Start(t, func(c *server.Config) {
		c.PGMaxHandshakes = 8
		c.PGMaxHandshakesPerAddress = 2
		c.PGHandshakeWait = 10 * time.Second
	})
	url := h.PGURL(testToken, "default", "disable")
	// Two half-open connections take the address's slots; a real client
	// waits and logs in once one of them goes.
	a, msg := halfOpen(t, h.P.PGAddr(), "127.0.0.4")
	if _, ok := msg.(*pgproto3.AuthenticationSASL); !ok {
		t.Fatalf("first half-open: %#v", msg)
	}
	b, msg := halfOpen(t, h.P.PGAddr(), "127.0.0.4")
	if _, ok := msg.(*pgproto3.AuthenticationSASL); !ok {
		t.Fatalf("second half-open: %#v", msg)
	}
	defer b.Close()
	time.AfterFunc(300*time.Millisecond, func() { a.Close() })
	start := time.Now()
	c, err := pgConnectFrom(t, url, "127.0.0.4")
	if err != nil {
		t.Fatalf("client waiting for a slot: %v", err)
	}
	if waited := time.Since(start); waited < 250*time.Millisecond {
		t.Fatalf("client logged in after %v although both slots were held", waited)
	}
	var one int
	if err := c.QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("query after waiting: %v", err)
	}
	c.Close(context.Background())

	// A pool of 40 opening at once from one address: all log in.
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := pgConnectFrom(t, url, "127.0.0.5")
			if err != nil {
				errs <- err
				return
			}
			defer c.Close(context.Background())
			var one int
			if err := c.QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("pool connection: %v", err)
	}
}

func isReset(err error) bool {
	return strings.Contains(err.Error(), "connection reset")
}

// restFrom calls GET /v1/workspaces from ip with token; it returns the
// status and the Retry-After header.
func restFrom(t *testing.T, h *hdtest.Harness, ip, token string) (int, string) {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DialContext: dialerFrom(ip).DialContext, DisableKeepAlives: true}, Timeout: 10 * time.Second}
	req, _ := http.NewRequest("GET", "http://"+h.P.HTTPAddr()+"/v1/workspaces", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

// TestAuthFailureLimit: failed authentications are counted per source
// address and per user on both front ends together; a success clears
// neither count; past the limit even the right credential is refused
// (429 with Retry-After, FATAL 28P01) until the window ends.
func TestAuthFailureLimit(t *testing.T) {
	h := hdtest.Start(t, func(c *server.Config) { c.AuthMaxFailures = 5; c.AuthFailureWindow = time.Minute })
	const wrong = "hd_wrongtokenwrongtokenwrongtokenwrongtoken00"

	// REST, one address: a success in between does not reset its count.
	ip := "127.0.0.11"
	for i := 0; i < 3; i++ {
		if st, _ := restFrom(t, h, ip, wrong); st != http.StatusUnauthorized {
			t.Fatalf("wrong token %d: %d", i, st)
		}
	}
	if st, _ := restFrom(t, h, ip, testToken); st != http.StatusOK {
		t.Fatalf("good token: %d", st)
	}
	for i := 0; i < 2; i++ {
		if st, _ := restFrom(t, h, ip, wrong[:3]+"other"+wrong[8:]); st != http.StatusUnauthorized {
			t.Fatalf("wrong token %d: %d", i, st)
		}
	}
	st, retry := restFrom(t, h, ip, testToken)
	if st != http.StatusTooManyRequests || retry == "" || retry == "0" {
		t.Fatalf("good token after 5 failures from the address: %d Retry-After %q; want 429 with Retry-After", st, retry)
	}
	// The limiter is shared: pgwire from that address is refused too.
	_, err := pgConnectFrom(t, h.PGURL(testToken, "default", "disable"), ip)
	if sqlstate(err) != "28P01" || !strings.Contains(err.Error(), "too many failed authentication attempts") {
		t.Fatalf("pgwire after REST failures: %v", err)
	}

	// pgwire, one address: failures for one user, a success for another
	// user in between, more failures: the address is over its limit.
	ip = "127.0.0.12"
	for i := 0; i < 3; i++ {
		if _, err := pgConnectFrom(t, strings.Replace(h.PGURL(wrong, "default", "disable"), "admin:", "mallory:", 1), ip); sqlstate(err) != "28P01" {
			t.Fatalf("wrong token %d: %v", i, err)
		}
	}
	if _, err := pgConnectFrom(t, strings.Replace(h.PGURL(testToken, "default", "disable"), "admin:", "alice:", 1), ip); err != nil {
		t.Fatalf("good token as alice: %v", err)
	}
	for i := 0; i < 2; i++ {
		if _, err := pgConnectFrom(t, strings.Replace(h.PGURL(wrong, "default", "disable"), "admin:", "eve:", 1), ip); sqlstate(err) != "28P01" {
			t.Fatalf("wrong token %d: %v", i, err)
		}
	}
	_, err = pgConnectFrom(t, strings.Replace(h.PGURL(testToken, "default", "disable"), "admin:", "bob:", 1), ip)
	if sqlstate(err) != "28P01" || !strings.Contains(err.Error(), "too many failed authentication attempts") {
		t.Fatalf("good token from an address over the limit: %v", err)
	}

	// pgwire, one user from many addresses: the user is over its limit,
	// other users are not.
	for i := 0; i < 5; i++ {
		if _, err := pgConnectFrom(t, strings.Replace(h.PGURL(wrong, "default", "disable"), "admin:", "victim:", 1), fmt.Sprintf("127.0.0.%d", 20+i)); sqlstate(err) != "28P01" {
			t.Fatalf("wrong token %d: %v", i, err)
		}
	}
	_, err = pgConnectFrom(t, strings.Replace(h.PGURL(testToken, "default", "disable"), "admin:", "victim:", 1), "127.0.0.99")
	if sqlstate(err) != "28P01" || !strings.Contains(err.Error(), "too many failed authentication attempts") {
		t.Fatalf("good token for a user over the limit: %v", err)
	}
	if _, err := pgConnectFrom(t, h.PGURL(testToken, "default", "disable"), "127.0.0.99"); err != nil {
		t.Fatalf("another user from that address: %v", err)
	}

	// REST, one token prefix from many addresses.
	victim := "hd_victim0" + wrong[10:]
	for i := 0; i < 5; i++ {
		if st, _ := restFrom(t, h, fmt.Sprintf("127.0.1.%d", 1+i), victim); st != http.StatusUnauthorized {
			t.Fatalf("wrong token %d: %d", i, st)
		}
	}
	if st, _ := restFrom(t, h, "127.0.1.9", victim[:len(victim)-1]+"1"); st != http.StatusTooManyRequests {
		t.Fatalf("token with a prefix over the limit: %d, want 429", st)
	}
	if st, _ := restFrom(t, h, "127.0.1.9", testToken); st != http.StatusOK {
		t.Fatalf("another token from that address: %d", st)
	}
}

// TestHTTPConnectionLimits: idle keep-alive connections are closed after
// HTTPIdleTimeout, and past HTTPMaxConnections a connection gets 503.
func TestHTTPConnectionLimits(t *testing.T) {
	h := hdtest.Start(t, func(c *server.Config) { c.HTTPIdleTimeout = 300 * time.Millisecond; c.HTTPMaxConnections = 3 })
	get := func(nc net.Conn) string {
		t.Helper()
		if _, err := io.WriteString(nc, "GET /healthz HTTP/1.1\r\nHost: hotdata\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(nc), nil)
		if err != nil {
			t.Fatalf("read response: %v", err)
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		return resp.Status + " " + string(body)
	}
	dial := func() net.Conn {
		nc, err := net.Dial("tcp", h.P.HTTPAddr())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { nc.Close() })
		return nc
	}
	// An idle keep-alive connection is closed by the server.
	nc := dial()
	if got := get(nc); !strings.HasPrefix(got, "200") {
		t.Fatalf("healthz: %s", got)
	}
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := nc.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Fatalf("idle keep-alive connection: read %d, %v; want EOF", n, err)
	}
	nc.Close()

	// Three held connections fill the cap; the fourth gets 503.
	var open []net.Conn
	for i := 0; i < 3; i++ {
		open = append(open, dial())
	}
	// The backlog is accepted in order: the fourth comes after the three.
	fourth := dial()
	_ = fourth.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(fourth), nil)
	if err != nil {
		t.Fatalf("fourth connection: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "TOO_MANY_CONNECTIONS") {
		t.Fatalf("fourth connection: %d %s", resp.StatusCode, body)
	}
	// A slot frees when a connection closes.
	open[0].Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		nc := dial()
		if got := get(nc); strings.HasPrefix(got, "200") {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("after a close: %s", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
