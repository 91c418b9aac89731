package authlimit

import (
	"net"
	"net/netip"
	"sync"
	"time"
)

// Defaults of the process settings (HOTDATA_AUTH_MAX_FAILURES,
// HOTDATA_AUTH_FAILURE_WINDOW).
const (
	DefaultMaxFailures = 20
	DefaultWindow      = 5 * time.Minute
)

// Slow-down of failures under the limit: the first few are answered at
// once, later ones after a doubling delay.
const (
	freeFailures = 5
	baseDelay    = 250 * time.Millisecond
	maxDelay     = 10 * time.Second
)

// maxKeys bounds the memory the limiter can take.
const maxKeys = 100_000

// Limiter counts failures per key. The zero value is not usable: call New.
type Limiter struct {
	max    int           // failures per key and window; 0: no limit
	window time.Duration // a key's count expires this long after its first failure
	now    func() time.Time

	mu   sync.Mutex
	keys map[string]*count
}

type count struct {
	n     int
	start time.Time
}

// New returns a limiter refusing a source address or user name once it
// has maxFailures failures within window (maxFailures 0: never refuse,
// but still slow failures down).
func New(maxFailures int, window time.Duration) *Limiter {
	if window <= 0 {
		window = DefaultWindow
	}
	return &Limiter{max: maxFailures, window: window, now: time.Now, keys: map[string]*count{}}
}

func keysOf(addr, user string) [2]string {
	return [2]string{"addr:" + addr, "user:" + user}
}

// Check reports whether a new attempt from addr for user may go on; when
// it may not, retryAfter is when the oldest count that blocks it expires.
// Check it before looking at the credential.
func (l *Limiter) Check(addr, user string) (retryAfter time.Duration, ok bool) {
	if l.max <= 0 {
		return 0, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keysOf(addr, user) {
		c := l.keys[k]
		if c == nil || now.Sub(c.start) >= l.window || c.n < l.max {
			continue
		}
		retryAfter = max(retryAfter, c.start.Add(l.window).Sub(now))
	}
	return retryAfter, retryAfter == 0
}

// Failure counts a failed attempt from addr for user and returns how long
// to wait before answering it.
func (l *Limiter) Failure(addr, user string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	worst := 0
	for _, k := range keysOf(addr, user) {
		c := l.keys[k]
		if c == nil || now.Sub(c.start) >= l.window {
			if c == nil {
				l.makeRoom(now)
			}
			c = &count{start: now}
			l.keys[k] = c
		}
		c.n++
		worst = max(worst, c.n)
	}
	if worst <= freeFailures {
		return 0
	}
	return min(baseDelay<<min(worst-freeFailures-1, 16), maxDelay)
}

// makeRoom drops expired counts when the map is full and, if that is not
// enough, counts under the limit: a refused key is never forgotten early,
// so spraying user names cannot lift a block.
func (l *Limiter) makeRoom(now time.Time) {
	if len(l.keys) < maxKeys {
		return
	}
	for k, c := range l.keys {
		if now.Sub(c.start) >= l.window {
			delete(l.keys, k)
		}
	}
	for k, c := range l.keys {
		if len(l.keys) < maxKeys {
			return
		}
		if l.max <= 0 || c.n < l.max {
			delete(l.keys, k)
		}
	}
}

// Addr is the key of a remote address: its IP, or its /64 for IPv6 (one
// host usually holds a whole /64).
func Addr(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}
