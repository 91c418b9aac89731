package egress

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// ErrDenied is what a DeniedError is.
var ErrDenied = errors.New("not an allowed destination")

// DeniedError is a destination the policy refuses. It names the host and
// the address it resolved to, never anything about what listens there.
type DeniedError struct {
	Host string
	// Addr is the refused address; invalid when the host itself is
	// refused (a Unix socket path, another network than TCP).
	Addr netip.Addr
}

func (e *DeniedError) Error() string {
	if e.Addr.IsValid() && e.Addr.String() != e.Host {
		return fmt.Sprintf("%s (%s) is not an allowed destination (egress policy)", e.Host, e.Addr)
	}
	return fmt.Sprintf("%s is not an allowed destination (egress policy)", e.Host)
}

func (e *DeniedError) Is(target error) bool { return target == ErrDenied }

// Dialer connects connectors to their upstreams under a Policy. The zero
// value denies only AlwaysDenied; it is safe for concurrent use.
type Dialer struct {
	Policy Policy
	// Lookup resolves a host name; nil uses net.DefaultResolver.
	Lookup func(ctx context.Context, host string) ([]netip.Addr, error)
	// Dial connects to a checked address; nil uses a net.Dialer (TCP
	// keepalive on).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// NewDialer returns a dialer enforcing p.
func NewDialer(p Policy) *Dialer { return &Dialer{Policy: p} }

// DialContext resolves addr's host, refuses it when any address it
// resolves to is denied (a name must not reach a denied network through
// one of its addresses), and otherwise connects to the checked addresses
// in order until one answers. Only TCP is dialled.
func (d *Dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return nil, &DeniedError{Host: addr}
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	addrs, err := d.Resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	dial := d.Dial
	if dial == nil {
		var nd net.Dialer
		dial = nd.DialContext
	}
	var errs []error
	for _, a := range addrs {
		if network == "tcp4" && !a.Unmap().Is4() || network == "tcp6" && a.Unmap().Is4() {
			continue
		}
		c, err := dial(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	if len(errs) == 0 {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.AddrError{Err: "no suitable address", Addr: host}}
	}
	return nil, errs[0]
}

// Resolve returns the addresses of host, all of them allowed, or a
// *DeniedError naming the first one that is not. A name that does not
// resolve returns the resolver's error.
func (d *Dialer) Resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if host == "" || strings.ContainsAny(host, "/\\") {
		return nil, &DeniedError{Host: host} // a Unix socket path
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		lookup := d.Lookup
		if lookup == nil {
			lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
				return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
			}
		}
		if addrs, err = lookup(ctx, host); err != nil {
			return nil, err
		}
	}
	for _, a := range addrs {
		if !d.Policy.Allowed(a) {
			return nil, &DeniedError{Host: host, Addr: a.Unmap().WithZone("")}
		}
	}
	return addrs, nil
}

// Check reports whether host (a name or an address) is allowed now: a
// *DeniedError when it is not. A name that does not resolve passes: the
// dial checks it again.
func (d *Dialer) Check(ctx context.Context, host string) error {
	_, err := d.Resolve(ctx, host)
	var de *DeniedError
	if errors.As(err, &de) {
		return err
	}
	return nil
}
