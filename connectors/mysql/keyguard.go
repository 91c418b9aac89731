package mysql

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"sync/atomic"
)

// Public key retrieval.
//
// caching_sha2_password (MySQL 8's default) and sha256_password, on their
// full authentication path over a connection without TLS, have the client
// ask the server for its RSA public key and send the password encrypted
// with it. The key arrives over the same plain connection: whoever sits
// between, or a server that is not the one the connection was meant for,
// hands over a key of its own and reads the password. go-sql-driver has no
// setting to refuse this (MySQL's own clients refuse by default:
// --get-server-public-key, JDBC's allowPublicKeyRetrieval), so the
// connector watches the handshake and ends the connection when a public
// key arrives in clear text, before the driver can answer it.

// errKeyRetrieval is what reading the handshake returns then.
var errKeyRetrieval = errors.New("the server sent a public key to encrypt the password with over a connection without TLS: refused")

// keyGuard watches a connection's handshake, up to the server's first
// OK or error packet, or until the client asks for TLS.
type keyGuard struct {
	net.Conn
	refused *atomic.Bool // set when a handshake was refused
	done    bool         // the handshake is over, or goes on in TLS
	wrote   bool         // the client sent its first packet
	buf     []byte       // server bytes of the packet being read
}

// maxGuardedHandshake bounds what is buffered while watching.
const maxGuardedHandshake = 64 << 10

// clientSSL is the CLIENT_SSL capability flag.
const clientSSL = 0x0800

func (g *keyGuard) Write(p []byte) (int, error) {
	if !g.done && !g.wrote && len(p) >= 8 {
		// The client's first packet (the handshake response, or the
		// SSL request before it) holds its capability flags.
		g.wrote = true
		if binary.LittleEndian.Uint32(p[4:8])&clientSSL != 0 {
			g.stop()
		}
	}
	return g.Conn.Write(p)
}

func (g *keyGuard) Read(p []byte) (int, error) {
	n, err := g.Conn.Read(p)
	if g.done || n == 0 {
		return n, err
	}
	g.buf = append(g.buf, p[:n]...)
	for len(g.buf) >= 4 {
		size := int(g.buf[0]) | int(g.buf[1])<<8 | int(g.buf[2])<<16
		if len(g.buf) < 4+size {
			break
		}
		seq, payload := g.buf[3], g.buf[4:4+size]
		switch {
		case seq == 0:
			// The server's greeting.
		case size > 0 && (payload[0] == 0x00 || payload[0] == 0xff):
			g.stop() // OK or error: the handshake is over
			return n, err
		case size > 1 && payload[0] == 0x01 && bytes.HasPrefix(bytes.TrimSpace(payload[1:]), []byte("-----BEGIN")):
			// More auth data holding a PEM key: the public key.
			g.refused.Store(true)
			g.stop()
			g.Conn.Close()
			return 0, errKeyRetrieval
		}
		g.buf = g.buf[4+size:]
	}
	if len(g.buf) > maxGuardedHandshake {
		g.stop()
	}
	return n, err
}

func (g *keyGuard) stop() {
	g.done = true
	g.buf = nil
}
