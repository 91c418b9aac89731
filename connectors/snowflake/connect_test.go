package snowflake

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/connectors/egress"
)

// TestConnectErrors: Test and Discover say why a server cannot be
// reached or logged into, as a *connectors.ConnectError naming the
// address (the conformance suite's connect_errors, which needs a server
// that refuses logins: the emulator accepts any).
func TestConnectErrors(t *testing.T) {
	refused := closedPort(t)
	// A server that accepts connections and never answers.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	// Another protocol's server: HTTP that answers 400 and hangs up.
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
	// A Snowflake that refuses the login.
	fake := newFakeSnowflake(t)
	fake.refuse = true
	fakeAddr := strings.TrimPrefix(fake.srv.URL, "http://")
	_, fakePort, _ := net.SplitHostPort(fakeAddr)
	port := func(a net.Addr) int { return a.(*net.TCPAddr).Port }
	deny := func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &egress.DeniedError{Host: "127.0.0.1", Addr: netip.MustParseAddr("127.0.0.1")}
	}
	for _, c := range []struct {
		name, host string
		port       int
		dial       connectors.DialFunc
		want       string
		answered   bool
	}{
		{"refused", "127.0.0.1", refused, nil, "connection refused", false},
		{"dns", "no-such-host.invalid", 443, nil, `cannot resolve host "no-such-host.invalid"`, false},
		{"timeout", "127.0.0.1", port(silent.Addr()), nil, "timed out after " + connectors.ConnectTimeout.String(), false},
		// The 400 may come before the request, and fail it otherwise.
		{"other protocol", "127.0.0.1", port(other.Addr()), nil, "", false},
		{"egress", "127.0.0.1", refused, deny, "not an allowed destination (egress policy)", false},
		{"login", "127.0.0.1", atoi(fakePort), nil, `login as "no_such_user_here" refused: Incorrect username or password was specified. (390100)`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := Config{Account: "test", User: "no_such_user_here", Database: "DB", Host: c.host, Port: c.port, Protocol: "http", Dial: c.dial}
			conn := openConnector(t, cfg, "pw")
			addr := net.JoinHostPort(c.host, strconv.Itoa(c.port))
			calls := []struct {
				what string
				call func() error
			}{
				{"Discover", func() error { _, err := conn.Discover(context.Background()); return err }},
				{"Test", func() error { return conn.Test(context.Background()) }},
			}
			if c.name == "timeout" {
				calls = calls[:1] // one wait is enough
			}
			for _, call := range calls {
				start := time.Now()
				err := call.call()
				t.Logf("%s: %s", call.what, connectors.Detail(err))
				var ce *connectors.ConnectError
				if !errors.As(err, &ce) || ce.Addr != addr || !strings.Contains(connectors.Detail(err), c.want) || ce.Answered != c.answered {
					t.Errorf("%s: %s, want a ConnectError for %s whose detail says %q (answered %v)", call.what, connectors.Detail(err), addr, c.want, c.answered)
				}
				unreachable := "cannot connect to " + addr + ": " + connectors.Unreachable
				if !c.answered && (err == nil || !strings.HasSuffix(err.Error(), unreachable)) {
					t.Errorf("%s: message %v, want it to end in %q", call.what, err, unreachable)
				} else if c.answered && (err == nil || !strings.Contains(err.Error(), c.want)) {
					t.Errorf("%s: message %v, want it to say %q", call.what, err, c.want)
				}
				// Failures that a retry would not mend end the login at
				// once, not after the driver's retries.
				if d := time.Since(start); c.name != "timeout" && d > 5*time.Second {
					t.Errorf("%s took %s", call.what, d)
				}
			}
		})
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// rsaKeyPEM is a fresh RSA key in PKCS#8 PEM, and its key.
func rsaKeyPEM(t *testing.T) (string, *rsa.PrivateKey) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), key
}

// TestKeyPair: with snowflake_jwt the login carries a JWT signed with
// the secret's key, as Snowflake checks it, and no password.
func TestKeyPair(t *testing.T) {
	f := newFakeSnowflake(t)
	scriptSnowflake(t, f)
	d := &fakeDial{target: strings.TrimPrefix(f.srv.URL, "http://")}
	cfg := fakeConfig(f, d)
	cfg.User = "me"
	cfg.Authenticator = authKeyPair
	secret, key := rsaKeyPEM(t)
	c := openConnector(t, cfg, secret)
	if err := c.Test(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	login := f.logins[0]
	f.mu.Unlock()
	token, _ := login["TOKEN"].(string)
	if login["AUTHENTICATOR"] != "SNOWFLAKE_JWT" || login["PASSWORD"] != nil && login["PASSWORD"] != "" || token == "" {
		t.Fatalf("login request %v", login)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWT", token)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, digest[:], sig); err != nil {
		t.Errorf("the JWT's signature does not verify with the key: %v", err)
	}
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	_ = json.Unmarshal(payload, &claims)
	pub, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	fp := sha256.Sum256(pub)
	if claims["sub"] != "XY12345.ME" || claims["iss"] != "XY12345.ME.SHA256:"+base64.StdEncoding.EncodeToString(fp[:]) {
		t.Errorf("JWT claims %v", claims)
	}
}

// TestKeyPairEmulator: the emulator takes passwords only, and refuses a
// key-pair login in Snowflake's terms: an answered ConnectError.
func TestKeyPairEmulator(t *testing.T) {
	cfg := startEmulator(t)
	cfg.Authenticator = authKeyPair
	secret, _ := rsaKeyPEM(t)
	c := openConnector(t, cfg, secret)
	err := c.Test(context.Background())
	var ce *connectors.ConnectError
	if !errors.As(err, &ce) || !ce.Answered || !strings.Contains(err.Error(), `login as "hotdata" refused`) || !strings.Contains(err.Error(), "390100") {
		t.Fatalf("key-pair login on the emulator: %v", err)
	}
	if strings.Contains(connectors.Detail(err), "PRIVATE KEY") {
		t.Errorf("the error shows the key: %v", err)
	}
}
