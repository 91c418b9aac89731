package scram

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// TestRFC7677 replays the SCRAM-SHA-256 example of RFC 7677 section 3.
func TestRFC7677(t *testing.T) {
	salt, _ := base64.StdEncoding.DecodeString("W22ZaJ0SNY7soEsUEjb6gQ==")
	keys := Derive("pencil", salt, 4096)
	ex := &Exchange{Salt: salt, Iterations: 4096, serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"}
	first, err := ex.ClientFirst(SHA256, []byte("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"; first != want {
		t.Fatalf("server-first = %q, want %q", first, want)
	}
	final := "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
	other := Derive("not pencil", salt, 4096)
	idx, serverFinal, err := ex.ClientFinal([]byte(final), []Keys{other, keys})
	if err != nil {
		t.Fatal(err)
	}
	if idx != 1 || serverFinal != "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=" {
		t.Fatalf("matched %d, server-final %q", idx, serverFinal)
	}
	// The same proof against a store without the right key fails.
	ex2 := &Exchange{Salt: salt, Iterations: 4096, serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"}
	if _, err := ex2.ClientFirst(SHA256, []byte("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ex2.ClientFinal([]byte(final), []Keys{other}); !errors.Is(err, ErrBadProof) {
		t.Fatalf("wrong key: %v", err)
	}
}

// clientProof computes a client-final-message as a client would.
func clientProof(password string, salt []byte, iters int, clientFirstBare, serverFirst, withoutProof string) string {
	salted := pbkdf2Key(password, salt, iters)
	clientKey := hmacSum(salted, "Client Key")
	stored := sha256.Sum256(clientKey)
	h := hmac.New(sha256.New, stored[:])
	h.Write([]byte(clientFirstBare + "," + serverFirst + "," + withoutProof))
	sig := h.Sum(nil)
	for i := range clientKey {
		clientKey[i] ^= sig[i]
	}
	return withoutProof + ",p=" + base64.StdEncoding.EncodeToString(clientKey)
}

func TestChannelBindingRules(t *testing.T) {
	salt := NewSalt()
	binding := []byte("certificate-hash")
	cases := []struct {
		name    string
		mech    string
		first   string
		binding []byte
		wantErr error
	}{
		{"plain without TLS", SHA256, "n,,n=,r=abc", nil, nil},
		{"client could bind, server cannot", SHA256, "y,,n=,r=abc", nil, nil},
		{"downgrade over TLS", SHA256, "y,,n=,r=abc", binding, ErrBinding},
		{"PLUS without TLS", SHA256Plus, "p=tls-server-end-point,,n=,r=abc", nil, ErrProtocol},
		{"PLUS with an unknown binding type", SHA256Plus, "p=tls-unique,,n=,r=abc", binding, ErrProtocol},
		{"missing nonce", SHA256, "n,,n=", nil, ErrProtocol},
		{"mandatory extension", SHA256, "n,,m=ext,n=,r=abc", nil, ErrProtocol},
		{"garbage", SHA256, "hello", nil, ErrProtocol},
		{"unknown mechanism", "SCRAM-SHA-1", "n,,n=,r=abc", nil, ErrProtocol},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ex := &Exchange{Salt: salt, Iterations: 4096, Binding: c.binding}
			_, err := ex.ClientFirst(c.mech, []byte(c.first))
			if c.wantErr == nil && err != nil || c.wantErr != nil && !errors.Is(err, c.wantErr) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
		})
	}
}

// TestPlusExchange runs SCRAM-SHA-256-PLUS end to end and checks that a
// proof made for another channel is refused.
func TestPlusExchange(t *testing.T) {
	salt := NewSalt()
	keys := Derive("hd_token", salt, 4096)
	binding := []byte{1, 2, 3, 4}
	run := func(clientBinding []byte) error {
		ex := &Exchange{Salt: salt, Iterations: 4096, Binding: binding}
		bare := "n=,r=clientnonce"
		sf, err := ex.ClientFirst(SHA256Plus, []byte("p=tls-server-end-point,,"+bare))
		if err != nil {
			return err
		}
		nonce := strings.TrimPrefix(strings.Split(sf, ",")[0], "r=")
		cbind := base64.StdEncoding.EncodeToString(append([]byte("p=tls-server-end-point,,"), clientBinding...))
		final := clientProof("hd_token", salt, 4096, bare, sf, "c="+cbind+",r="+nonce)
		_, _, err = ex.ClientFinal([]byte(final), []Keys{keys})
		return err
	}
	if err := run(binding); err != nil {
		t.Fatalf("matching binding: %v", err)
	}
	if err := run([]byte{9, 9}); !errors.Is(err, ErrBinding) {
		t.Fatalf("other channel's binding: %v", err)
	}
}
