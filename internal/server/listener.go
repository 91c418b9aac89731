package server

import (
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"
)

// limitListener caps the connections accepted from ln and still open.
// Past the cap a connection is answered with a 503 at once and closed,
// instead of waiting unseen in the kernel's backlog like
// golang.org/x/net/netutil.LimitListener's would: the client learns why.
// max <= 0 returns ln itself.
func limitListener(ln net.Listener, max int, log *slog.Logger) net.Listener {
	if max <= 0 {
		return ln
	}
	return &limitedListener{Listener: ln, sem: make(chan struct{}, max), log: log}
}

type limitedListener struct {
	net.Listener
	sem chan struct{}
	log *slog.Logger

	mu           sync.Mutex
	lastLog      time.Time
	refusedSince int
}

// tooManyConnections is the whole answer to a connection past the cap.
const tooManyConnections = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s"

var tooManyBody = `{"error":{"code":"TOO_MANY_CONNECTIONS","message":"the server has too many open connections (HOTDATA_HTTP_MAX_CONNECTIONS); try again shortly"}}`

func (l *limitedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		select {
		case l.sem <- struct{}{}:
			return &limitedConn{Conn: c, release: func() { <-l.sem }}, nil
		default:
			l.refuse(c)
		}
	}
}

func (l *limitedListener) refuse(c net.Conn) {
	// A new socket's send buffer is empty: the write does not block.
	_ = c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
	_, _ = c.Write(fmt.Appendf(nil, tooManyConnections, len(tooManyBody), tooManyBody))
	c.Close()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refusedSince++
	if time.Since(l.lastLog) >= 10*time.Second {
		l.log.Warn("HTTP connections refused: at the connection cap", "count", l.refusedSince, "cap", cap(l.sem))
		l.lastLog, l.refusedSince = time.Now(), 0
	}
}

// limitedConn frees its slot once, on the first Close.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
