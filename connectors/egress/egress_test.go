package egress

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
)

func TestPolicyAllowed(t *testing.T) {
	allowLoopback := DefaultPolicy()
	allowLoopback.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	carve := Policy{Allow: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, Deny: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}}
	for _, c := range []struct {
		p    Policy
		addr string
		want bool
	}{
		{DefaultPolicy(), "203.0.113.7", true},
		{DefaultPolicy(), "2001:db8::1", true},
		{DefaultPolicy(), "127.0.0.1", false},
		{DefaultPolicy(), "::1", false},
		{DefaultPolicy(), "::ffff:127.0.0.1", false}, // IPv4-mapped
		{DefaultPolicy(), "10.2.3.4", false},
		{DefaultPolicy(), "172.31.255.1", false},
		{DefaultPolicy(), "192.168.1.1", false},
		{DefaultPolicy(), "fd12::1", false},
		{DefaultPolicy(), "169.254.169.254", false},
		{DefaultPolicy(), "fd00:ec2::254", false},
		{DefaultPolicy(), "fe80::1%eth0", false},
		{DefaultPolicy(), "0.0.0.0", false},
		{allowLoopback, "127.0.0.1", true},
		// Allowing a network the deny list names as it is: allow wins the tie.
		{Policy{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, Deny: DefaultDeny}, "127.0.0.9", true},
		{allowLoopback, "127.0.0.2", false},
		{allowLoopback, "::1", false},
		{carve, "10.2.0.1", true},
		{carve, "10.1.0.1", false}, // the more specific deny wins
		// Nothing allows link-local or metadata addresses.
		{Policy{Allow: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")}}, "169.254.169.254", false},
		{Policy{Allow: []netip.Prefix{netip.MustParsePrefix("169.254.169.254/32")}}, "169.254.169.254", false},
		{Policy{Allow: []netip.Prefix{netip.MustParsePrefix("::/0")}}, "fd00:ec2::254", false},
	} {
		if got := c.p.Allowed(netip.MustParseAddr(c.addr)); got != c.want {
			t.Errorf("%+v Allowed(%s) = %v, want %v", c.p, c.addr, got, c.want)
		}
	}
}

func TestParsePrefixes(t *testing.T) {
	ps, err := ParsePrefixes("127.0.0.1, 10.0.0.0/8 ::1 ::ffff:192.168.0.0/112")
	if err != nil {
		t.Fatal(err)
	}
	if got := FormatPrefixes(ps); got != "127.0.0.1/32,10.0.0.0/8,::1/128,192.168.0.0/16" {
		t.Errorf("parsed %s", got)
	}
	if ps, err := ParsePrefixes("none"); err != nil || len(ps) != 0 {
		t.Errorf("none = %v, %v", ps, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "db.internal", "10.0.0.1/8x"} {
		if _, err := ParsePrefixes(bad); err == nil {
			t.Errorf("ParsePrefixes(%q) succeeded", bad)
		}
	}
}

// TestDialerRefuses: the dialer resolves names and refuses one any of
// whose addresses is denied, before connecting; it never dials a Unix
// socket; an allowed address is dialled as resolved (no second lookup).
func TestDialerRefuses(t *testing.T) {
	names := map[string][]netip.Addr{
		"public.example":   {netip.MustParseAddr("203.0.113.7")},
		"internal.example": {netip.MustParseAddr("10.0.0.5")},
		"metadata.example": {netip.MustParseAddr("169.254.169.254")},
		// One public address cannot carry a private one through.
		"mixed.example": {netip.MustParseAddr("203.0.113.7"), netip.MustParseAddr("127.0.0.1")},
	}
	var dialled []string
	d := &Dialer{
		Policy: DefaultPolicy(),
		Lookup: func(_ context.Context, host string) ([]netip.Addr, error) {
			if a, ok := names[host]; ok {
				return a, nil
			}
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		},
		Dial: func(_ context.Context, network, addr string) (net.Conn, error) {
			dialled = append(dialled, addr)
			return nil, errors.New("test: not dialling")
		},
	}
	ctx := context.Background()
	for _, c := range []struct {
		network, addr string
		denied        bool
	}{
		{"tcp", "internal.example:5432", true},
		{"tcp", "metadata.example:80", true},
		{"tcp", "mixed.example:5432", true},
		{"tcp", "127.0.0.1:5432", true},
		{"tcp", "[::1]:5432", true},
		{"tcp", "[::ffff:10.0.0.1]:5432", true},
		{"unix", "/var/run/postgresql/.s.PGSQL.5432", true},
		{"tcp", "/tmp:5432", true},
		{"tcp", "public.example:5432", false},
	} {
		dialled = nil
		_, err := d.DialContext(ctx, c.network, c.addr)
		if got := errors.Is(err, ErrDenied); got != c.denied {
			t.Errorf("dial %s %s = %v, denied %v, want %v", c.network, c.addr, err, got, c.denied)
		}
		if c.denied && len(dialled) > 0 {
			t.Errorf("dial %s: connected to %v although denied", c.addr, dialled)
		}
		if !c.denied && (len(dialled) != 1 || dialled[0] != "203.0.113.7:5432") {
			t.Errorf("dial %s: dialled %v, want the resolved address", c.addr, dialled)
		}
	}
	if err := d.Check(ctx, "internal.example"); !errors.Is(err, ErrDenied) {
		t.Errorf("Check(internal.example) = %v", err)
	}
	if err := d.Check(ctx, "no-such.example"); err != nil {
		t.Errorf("Check of a name that does not resolve = %v, want nil (the dial decides)", err)
	}
	if err := d.Check(ctx, "public.example"); err != nil {
		t.Errorf("Check(public.example) = %v", err)
	}
}
