package mysql

import (
	"bytes"
	"context"
	"encoding/binary"
	"net"
	"sync"
	"sync/atomic"
)

// Stopping a scan early.
//
// go-sql-driver stops a query whose context is cancelled by closing the
// connection from a watcher goroutine, but when the context ends while
// the reader is between two rows, database/sql closes the rows at the
// same moment, and whichever of the two wins decides: if the rows' Close
// wins, it reads and discards the rest of the result first. For a large
// table that is the whole remaining table, before the cancelled scan
// returns.
//
// So a scan runs its query under a context nobody cancels, and stops it
// by closing the TCP connection itself: every read after that fails at
// once, and the server, whose next write fails, ends the query and rolls
// the transaction back. To find the socket of the scan's connection,
// connections are dialled through a connTracker, which reads the
// connection id from the server's handshake; the scan asks the server
// for CONNECTION_ID(). Behind a proxy the two ids may differ: then the
// scan falls back on the driver's cancellation.

// connTracker dials the connector's connections and indexes them by the
// connection id the server gave them.
type connTracker struct {
	dialer func(ctx context.Context, network, addr string) (net.Conn, error)
	// guardKeys refuses public keys sent without TLS (keyguard.go);
	// keyRefused says one was.
	guardKeys  bool
	keyRefused atomic.Bool
	mu         sync.Mutex
	conns      map[uint32]*trackedConn
}

// newConnTracker dials through dial (nil: a net.Dialer, which keeps TCP
// keepalive on, as the driver's own dialer does).
func newConnTracker(dial func(ctx context.Context, network, addr string) (net.Conn, error)) *connTracker {
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	return &connTracker{dialer: dial, conns: map[uint32]*trackedConn{}}
}

// dial is the driver's DialFunc.
func (t *connTracker) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	nc, err := t.dialer(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	if t.guardKeys {
		nc = &keyGuard{Conn: nc, refused: &t.keyRefused}
	}
	return &trackedConn{Conn: nc, tracker: t}, nil
}

// lookup returns the open connection with a server connection id.
func (t *connTracker) lookup(id uint32) *trackedConn {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.conns[id]
}

// trackedConn is a TCP connection that learns its server connection id
// from the first packet it reads.
type trackedConn struct {
	net.Conn
	tracker *connTracker
	// head gathers the start of the handshake until the id is known;
	// only the driver's goroutine reads, so it needs no lock.
	head       []byte
	headDone   bool
	id         uint32 // under tracker.mu once registered
	registered bool
}

// maxHandshakeHead bounds what is buffered to find the id: the packet
// header, protocol version, server version string and the id itself.
const maxHandshakeHead = 512

func (c *trackedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if !c.headDone && n > 0 {
		c.head = append(c.head, p[:n]...)
		c.parseHead()
	}
	return n, err
}

// parseHead reads the connection id from the Initial Handshake packet
// (protocol 10): a 4-byte packet header, the protocol version, the
// NUL-terminated server version, then the id as 4 little-endian bytes.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html
func (c *trackedConn) parseHead() {
	h := c.head
	if len(h) >= 5 && h[4] != 10 {
		c.giveUp() // an error packet, or a protocol this does not know
		return
	}
	if len(h) > 5 {
		if end := bytes.IndexByte(h[5:], 0); end >= 0 {
			at := 5 + end + 1
			if len(h) >= at+4 {
				id := binary.LittleEndian.Uint32(h[at:])
				c.tracker.mu.Lock()
				c.id, c.registered = id, true
				c.tracker.conns[id] = c
				c.tracker.mu.Unlock()
				c.giveUp()
				return
			}
		}
	}
	if len(h) >= maxHandshakeHead {
		c.giveUp()
	}
}

func (c *trackedConn) giveUp() {
	c.headDone = true
	c.head = nil
}

func (c *trackedConn) Close() error {
	c.tracker.mu.Lock()
	if c.registered && c.tracker.conns[c.id] == c {
		delete(c.tracker.conns, c.id)
	}
	c.tracker.mu.Unlock()
	return c.Conn.Close()
}
