package mysql

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// keyServer is a MySQL server that is not who it says: it asks for
// caching_sha2_password's full authentication over a connection without
// TLS and hands the client a public key of its own. It reports the
// password it could decrypt, if the client sent one.
func keyServer(t *testing.T) (addr string, password <-chan string) {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got := make(chan string, 16)
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer nc.Close()
				_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
				if pw, ok := fakeFullAuth(nc, pemKey, priv); ok {
					got <- pw
				}
			}()
		}
	}()
	return ln.Addr().String(), got
}

// fakeFullAuth plays the server's side up to the encrypted password.
func fakeFullAuth(nc net.Conn, pemKey []byte, priv *rsa.PrivateKey) (string, bool) {
	scramble := []byte("abcdefghijklmnopqrst") // 20 bytes
	var g bytes.Buffer
	g.WriteByte(10)
	g.WriteString("8.0.36\x00")
	g.Write([]byte{7, 0, 0, 0})
	g.Write(scramble[:8])
	g.WriteByte(0)
	caps := uint32(0x1 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x80000) // no CLIENT_SSL
	g.Write([]byte{byte(caps), byte(caps >> 8)})
	g.WriteByte(0xff)     // utf8mb4_0900_ai_ci
	g.Write([]byte{2, 0}) // status
	g.Write([]byte{byte(caps >> 16), byte(caps >> 24)})
	g.WriteByte(21)
	g.Write(make([]byte, 10))
	g.Write(scramble[8:])
	g.WriteByte(0)
	g.WriteString("caching_sha2_password\x00")
	send := func(seq byte, payload []byte) {
		h := []byte{byte(len(payload)), byte(len(payload) >> 8), byte(len(payload) >> 16), seq}
		nc.Write(append(h, payload...))
	}
	recv := func() ([]byte, byte, bool) {
		var h [4]byte
		if _, err := io.ReadFull(nc, h[:]); err != nil {
			return nil, 0, false
		}
		p := make([]byte, int(h[0])|int(h[1])<<8|int(h[2])<<16)
		if _, err := io.ReadFull(nc, p); err != nil {
			return nil, 0, false
		}
		return p, h[3], true
	}
	send(0, g.Bytes())
	if _, _, ok := recv(); !ok { // the handshake response
		return "", false
	}
	send(2, []byte{0x01, 0x04}) // perform full authentication
	p, _, ok := recv()
	if !ok || !bytes.Equal(p, []byte{0x02}) { // the request for the public key
		return "", false
	}
	send(4, append([]byte{0x01}, pemKey...))
	enc, _, ok := recv()
	if !ok {
		return "", false
	}
	plain, err := rsa.DecryptOAEP(sha1.New(), nil, priv, enc, nil)
	if err != nil {
		return "", false
	}
	for i := range plain {
		plain[i] ^= scramble[i%len(scramble)]
	}
	send(6, []byte{0xff, 0x15, 0x04, '#', '2', '8', '0', '0', '0', 'n', 'o'})
	return strings.TrimRight(string(plain), "\x00"), true
}

// TestPublicKeyRetrievalRefused: a server that sends its own public key
// over a connection without TLS gets no password, and the connection
// test says why; a connection that opts in shows the attack is real.
func TestPublicKeyRetrievalRefused(t *testing.T) {
	addr, leaked := keyServer(t)
	host, portText, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portText)
	for _, allow := range []bool{false, true} {
		cfg := Config{Host: host, Port: port, User: "admin", Database: "d", TLS: "preferred", AllowPublicKeyRetrieval: allow}
		c, err := Open(context.Background(), cfg, "s3cret-admin-password")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = c.Test(ctx)
		cancel()
		c.Close()
		if err == nil {
			t.Fatalf("allow %v: the fake server's login succeeded", allow)
		}
		select {
		case pw := <-leaked:
			if !allow {
				t.Fatalf("the server read the password %q through its own public key", pw)
			}
			if pw != "s3cret-admin-password" {
				t.Fatalf("allow_public_key_retrieval: the server decrypted %q (the fake is broken)", pw)
			}
		case <-time.After(time.Second):
			if allow {
				t.Fatal("allow_public_key_retrieval: the client never sent the encrypted password (the fake is broken)")
			}
			t.Logf("refused: %v", err)
			if !strings.Contains(err.Error(), "public key") || !strings.Contains(err.Error(), "tls required") {
				t.Fatalf("refused, but the error does not say why: %v", err)
			}
		}
	}
}
