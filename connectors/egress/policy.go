package egress

import (
	"fmt"
	"net/netip"
	"strings"
)

// AlwaysDenied are destinations no policy allows: link-local addresses
// (cloud metadata services answer at 169.254.169.254 and fd00:ec2::254),
// unspecified, multicast and broadcast addresses.
var AlwaysDenied = mustPrefixes("0.0.0.0/8", "169.254.0.0/16", "255.255.255.255/32", "224.0.0.0/4",
	"::/128", "fe80::/10", "fd00:ec2::254/128", "ff00::/8")

// DefaultDeny are the networks denied unless allowed: loopback, private
// (RFC 1918, RFC 4193), shared (RFC 6598) addresses, and NAT64's prefix,
// which reaches IPv4 addresses through a gateway.
var DefaultDeny = mustPrefixes("127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
	"100.64.0.0/10", "fc00::/7", "64:ff9b::/96", "64:ff9b:1::/48")

// Policy says which addresses connectors may reach. An address in
// AlwaysDenied is denied; otherwise the most specific prefix of Allow or
// Deny that holds it decides (Allow on a tie: it lists exceptions); an address in neither is
// allowed. IPv4-mapped IPv6 addresses are checked as IPv4.
type Policy struct {
	Allow []netip.Prefix
	Deny  []netip.Prefix
}

// DefaultPolicy denies DefaultDeny and allows nothing more.
func DefaultPolicy() Policy {
	return Policy{Deny: append([]netip.Prefix(nil), DefaultDeny...)}
}

// Allowed reports whether a may be reached.
func (p Policy) Allowed(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	if !a.IsValid() {
		return false
	}
	for _, n := range AlwaysDenied {
		if n.Contains(a) {
			return false
		}
	}
	allow, deny := longest(p.Allow, a), longest(p.Deny, a)
	return deny < 0 || allow >= deny
}

// longest is the length of the longest prefix of ps holding a (-1: none).
func longest(ps []netip.Prefix, a netip.Addr) int {
	best := -1
	for _, p := range ps {
		if p.Contains(a) && p.Bits() > best {
			best = p.Bits()
		}
	}
	return best
}

// ParsePrefixes reads a list of networks separated by commas or spaces:
// CIDR prefixes ("10.0.0.0/8") or single addresses ("127.0.0.1").
// "none" is the empty list.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	if strings.TrimSpace(s) == "none" {
		return []netip.Prefix{}, nil
	}
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("%q is neither a network (10.0.0.0/8) nor an address", f)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not a network such as 10.0.0.0/8: %v", f, err)
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// FormatPrefixes is the inverse of ParsePrefixes.
func FormatPrefixes(ps []netip.Prefix) string {
	if len(ps) == 0 {
		return "none"
	}
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

func mustPrefixes(s ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(s))
	for i, p := range s {
		out[i] = netip.MustParsePrefix(p)
	}
	return out
}
