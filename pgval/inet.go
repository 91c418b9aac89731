package pgval

import (
	"encoding/hex"
	"strconv"
	"strings"
)

// inet and cidr as PostgreSQL 15's network.c, inet_net_pton.c,
// inet_net_ntop.c and inet_cidr_ntop.c have them. The cache holds both
// types as their text output; the functions here read that text back
// (ParseInet), compute, and print (Inet.String).

// PostgreSQL's address families (PGSQL_AF_INET, PGSQL_AF_INET6).
const (
	AFInet  = 2
	AFInet6 = 3
)

// Inet is one inet or cidr value.
type Inet struct {
	Family byte // AFInet or AFInet6
	Bits   int  // the netmask length
	Addr   [16]byte
}

// MaxBits is ip_maxbits: 32 or 128.
func (ip Inet) MaxBits() int {
	if ip.Family == AFInet {
		return 32
	}
	return 128
}

func (ip Inet) size() int {
	if ip.Family == AFInet {
		return 4
	}
	return 16
}

func inetTypeName(cidr bool) string {
	if cidr {
		return "cidr"
	}
	return "inet"
}

// ParseInet is inet_in (cidr false) or cidr_in (cidr true).
func ParseInet(s string, cidr bool) (Inet, error) {
	var ip Inet
	ip.Family = AFInet
	if strings.IndexByte(s, ':') >= 0 {
		ip.Family = AFInet6
	}
	var bits int
	if ip.Family == AFInet {
		if cidr {
			bits = cidrPtonIPv4(s, ip.Addr[:4])
		} else {
			bits = netPtonIPv4(s, ip.Addr[:4])
		}
	} else {
		bits = ptonIPv6(s, ip.Addr[:16])
	}
	if bits < 0 || bits > ip.MaxBits() {
		return Inet{}, errf("22P02", "invalid input syntax for type %s: \"%s\"", inetTypeName(cidr), s)
	}
	if cidr && !addressOK(ip.Addr[:ip.size()], bits) {
		return Inet{}, errf("22P02", "invalid cidr value: \"%s\"", s).WithDetail("Value has bits set to right of mask.")
	}
	ip.Bits = bits
	return ip, nil
}

// addressOK: no bits set to the right of the mask.
func addressOK(a []byte, bits int) bool {
	byt := bits / 8
	nbits := bits % 8
	mask := byte(0xff)
	if nbits != 0 {
		mask >>= uint(nbits)
	}
	for ; byt < len(a); byt++ {
		if a[byt]&mask != 0 {
			return false
		}
		mask = 0xff
	}
	return true
}

func at(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func isXDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// cidrPtonIPv4 is inet_cidr_pton_ipv4 (dst zeroed, 4 bytes).
func cidrPtonIPv4(src string, dst []byte) int {
	size := len(dst)
	d := 0
	i := 0
	ch := at(src, i)
	i++
	if ch == '0' && (at(src, i) == 'x' || at(src, i) == 'X') && isXDigit(at(src, i+1)) {
		dirty, tmp := 0, 0
		i++
		for {
			ch = at(src, i)
			i++
			if ch == 0 || !isXDigit(ch) {
				break
			}
			n := unhex(ch)
			if dirty == 0 {
				tmp = n
			} else {
				tmp = tmp<<4 | n
			}
			dirty++
			if dirty == 2 {
				if size <= 0 {
					return -1
				}
				size--
				dst[d] = byte(tmp)
				d++
				dirty = 0
			}
		}
		if dirty != 0 {
			if size <= 0 {
				return -1
			}
			size--
			dst[d] = byte(tmp << 4)
			d++
		}
	} else if cIsDigit(ch) {
		for {
			tmp := 0
			for {
				tmp = tmp*10 + int(ch-'0')
				if tmp > 255 {
					return -1
				}
				ch = at(src, i)
				i++
				if ch == 0 || !cIsDigit(ch) {
					break
				}
			}
			if size <= 0 {
				return -1
			}
			size--
			dst[d] = byte(tmp)
			d++
			if ch == 0 || ch == '/' {
				break
			}
			if ch != '.' {
				return -1
			}
			ch = at(src, i)
			i++
			if !cIsDigit(ch) {
				return -1
			}
		}
	} else {
		return -1
	}
	bits := -1
	if ch == '/' && cIsDigit(at(src, i)) && d > 0 {
		ch = at(src, i)
		i++
		bits = 0
		for {
			bits = bits*10 + int(ch-'0')
			if bits > 1000 {
				bits = 1000 // C's int would wrap much later; > 32 either way
			}
			ch = at(src, i)
			i++
			if ch == 0 || !cIsDigit(ch) {
				break
			}
		}
		if ch != 0 {
			return -1
		}
		if bits > 32 {
			return -1
		}
	}
	if ch != 0 {
		return -1
	}
	if d == 0 {
		return -1
	}
	if bits == -1 {
		switch {
		case dst[0] >= 240:
			bits = 32
		case dst[0] >= 224:
			bits = 8
		case dst[0] >= 192:
			bits = 24
		case dst[0] >= 128:
			bits = 16
		default:
			bits = 8
		}
		if bits < d*8 {
			bits = d * 8
		}
		if bits == 8 && dst[0] == 224 {
			bits = 4
		}
	}
	for bits > d*8 {
		if size <= 0 {
			return -1
		}
		size--
		dst[d] = 0
		d++
	}
	return bits
}

// netPtonIPv4 is inet_net_pton_ipv4 (dst zeroed, 4 bytes).
func netPtonIPv4(src string, dst []byte) int {
	size := 4
	d := 0
	i := 0
	var ch byte
	for {
		ch = at(src, i)
		i++
		if !cIsDigit(ch) {
			break
		}
		tmp := 0
		for {
			tmp = tmp*10 + int(ch-'0')
			if tmp > 255 {
				return -1
			}
			ch = at(src, i)
			i++
			if ch == 0 || !cIsDigit(ch) {
				break
			}
		}
		if size == 0 {
			return -1
		}
		size--
		dst[d] = byte(tmp)
		d++
		if ch == 0 || ch == '/' {
			break
		}
		if ch != '.' {
			return -1
		}
	}
	bits := -1
	if ch == '/' && cIsDigit(at(src, i)) && d > 0 {
		ch = at(src, i)
		i++
		bits = 0
		for {
			bits = bits*10 + int(ch-'0')
			if bits > 1000 {
				bits = 1000
			}
			ch = at(src, i)
			i++
			if ch == 0 || !cIsDigit(ch) {
				break
			}
		}
		if ch != 0 {
			return -1
		}
		if bits > 32 {
			return -1
		}
	}
	if ch != 0 {
		return -1
	}
	if bits == -1 {
		if d == 4 {
			bits = 32
		} else {
			return -1
		}
	}
	if d == 0 {
		return -1
	}
	if bits/8 > d {
		return -1
	}
	return bits
}

// getbits is inet_net_pton.c's getbits: 1 and the value, or 0.
func getbits(src string) (int, int) {
	val, n := 0, 0
	for i := 0; i < len(src) && src[i] != 0; i++ {
		ch := src[i]
		if !cIsDigit(ch) {
			return 0, 0
		}
		if n != 0 && val == 0 {
			return 0, 0
		}
		n++
		val = val*10 + int(ch-'0')
		if val > 128 {
			return 0, 0
		}
	}
	if n == 0 {
		return 0, 0
	}
	return 1, val
}

// getv4 is inet_net_pton.c's getv4.
func getv4(src string, dst []byte) (int, int) {
	d := 0
	val, n := 0, 0
	bits := -1
	for i := 0; i < len(src) && src[i] != 0; i++ {
		ch := src[i]
		if cIsDigit(ch) {
			if n != 0 && val == 0 {
				return 0, bits
			}
			n++
			val = val*10 + int(ch-'0')
			if val > 255 {
				return 0, bits
			}
			continue
		}
		if ch == '.' || ch == '/' {
			if d > 3 {
				return 0, bits
			}
			dst[d] = byte(val)
			d++
			if ch == '/' {
				r, b := getbits(src[i+1:])
				if r > 0 {
					bits = b
				}
				return r, bits
			}
			val, n = 0, 0
			continue
		}
		return 0, bits
	}
	if n == 0 {
		return 0, bits
	}
	if d > 3 {
		return 0, bits
	}
	dst[d] = byte(val)
	return 1, bits
}

// ptonIPv6 is inet_cidr_pton_ipv6 (16 bytes).
func ptonIPv6(src string, dst []byte) int {
	var tmp [16]byte
	tp := 0
	endp := 16
	colonp := -1
	i := 0
	if at(src, 0) == ':' {
		if at(src, 1) != ':' {
			return -1
		}
		i = 1
	}
	curtok := i
	sawXDigit := false
	val := 0
	digits := 0
	bits := -1
	for {
		ch := at(src, i)
		i++
		if ch == 0 {
			break
		}
		if isXDigit(ch) {
			val = val<<4 | unhex(ch)
			digits++
			if digits > 4 {
				return -1
			}
			sawXDigit = true
			continue
		}
		if ch == ':' {
			curtok = i
			if !sawXDigit {
				if colonp >= 0 {
					return -1
				}
				colonp = tp
				continue
			} else if at(src, i) == 0 {
				return -1
			}
			if tp+2 > endp {
				return -1
			}
			tmp[tp] = byte(val >> 8)
			tmp[tp+1] = byte(val)
			tp += 2
			sawXDigit = false
			digits = 0
			val = 0
			continue
		}
		if ch == '.' && tp+4 <= endp {
			if r, b := getv4(src[curtok:], tmp[tp:tp+4]); r > 0 {
				bits = b
				tp += 4
				sawXDigit = false
				break
			}
		}
		if ch == '/' {
			if r, b := getbits(src[i:]); r > 0 {
				bits = b
				break
			}
		}
		return -1
	}
	if sawXDigit {
		if tp+2 > endp {
			return -1
		}
		tmp[tp] = byte(val >> 8)
		tmp[tp+1] = byte(val)
		tp += 2
	}
	if bits == -1 {
		bits = 128
	}
	if colonp >= 0 {
		n := tp - colonp
		if tp == endp {
			return -1
		}
		for k := 1; k <= n; k++ {
			tmp[endp-k] = tmp[colonp+n-k]
			tmp[colonp+n-k] = 0
		}
		tp = endp
	}
	if tp != endp {
		return -1
	}
	copy(dst, tmp[:])
	return bits
}

// netNtop is pg_inet_net_ntop: the address with /bits unless bits is
// the maximum (bits -1 for IPv6: none).
func netNtop(family byte, a []byte, bits int) string {
	var b strings.Builder
	if family == AFInet {
		for k := 0; k < 4; k++ {
			if k > 0 {
				b.WriteByte('.')
			}
			b.WriteString(strconv.Itoa(int(a[k])))
		}
		if bits != 32 {
			b.WriteString("/" + strconv.Itoa(bits))
		}
		return b.String()
	}
	var words [8]int
	for k := 0; k < 16; k++ {
		words[k/2] |= int(a[k]) << ((1 - k%2) * 8)
	}
	bestBase, bestLen := -1, 0
	curBase, curLen := -1, 0
	for k := 0; k < 8; k++ {
		if words[k] == 0 {
			if curBase == -1 {
				curBase, curLen = k, 1
			} else {
				curLen++
			}
		} else if curBase != -1 {
			if bestBase == -1 || curLen > bestLen {
				bestBase, bestLen = curBase, curLen
			}
			curBase = -1
		}
	}
	if curBase != -1 && (bestBase == -1 || curLen > bestLen) {
		bestBase, bestLen = curBase, curLen
	}
	if bestBase != -1 && bestLen < 2 {
		bestBase = -1
	}
	for k := 0; k < 8; k++ {
		if bestBase != -1 && k >= bestBase && k < bestBase+bestLen {
			if k == bestBase {
				b.WriteByte(':')
			}
			continue
		}
		if k != 0 {
			b.WriteByte(':')
		}
		if k == 6 && bestBase == 0 && (bestLen == 6 || bestLen == 7 && words[7] != 1 || bestLen == 5 && words[5] == 0xffff) {
			b.WriteString(strconv.Itoa(int(a[12])) + "." + strconv.Itoa(int(a[13])) + "." + strconv.Itoa(int(a[14])) + "." + strconv.Itoa(int(a[15])))
			break
		}
		b.WriteString(strconv.FormatInt(int64(words[k]), 16))
	}
	if bestBase != -1 && bestBase+bestLen == 8 {
		b.WriteByte(':')
	}
	if bits != -1 && bits != 128 {
		b.WriteString("/" + strconv.Itoa(bits))
	}
	return b.String()
}

// cidrNtop is pg_inet_cidr_ntop (abbrev(cidr)).
func cidrNtop(family byte, src []byte, bits int) string {
	var b strings.Builder
	if family == AFInet {
		if bits == 0 {
			b.WriteByte('0')
		}
		k := 0
		for n := bits / 8; n > 0; n-- {
			b.WriteString(strconv.Itoa(int(src[k])))
			k++
			if n > 1 {
				b.WriteByte('.')
			}
		}
		if r := bits % 8; r > 0 {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			m := ((1 << r) - 1) << (8 - r)
			b.WriteString(strconv.Itoa(int(src[k]) & m))
		}
		b.WriteString("/" + strconv.Itoa(bits))
		return b.String()
	}
	if bits == 0 {
		b.WriteString("::")
	} else {
		var in [16]byte
		p := (bits + 7) / 8
		copy(in[:p], src[:p])
		if r := bits % 8; r != 0 {
			in[p-1] &= byte(0xff << (8 - r))
		}
		words := (bits + 15) / 16
		if words == 1 {
			words = 2
		}
		zeroS, zeroL, tmpS, tmpL := 0, 0, 0, 0
		for k := 0; k < words*2; k += 2 {
			if in[k]|in[k+1] == 0 {
				if tmpL == 0 {
					tmpS = k / 2
				}
				tmpL++
			} else if tmpL != 0 && zeroL < tmpL {
				zeroS, zeroL = tmpS, tmpL
				tmpL = 0
			}
		}
		if tmpL != 0 && zeroL < tmpL {
			zeroS, zeroL = tmpS, tmpL
		}
		isV4 := zeroL != words && zeroS == 0 && (zeroL == 6 || zeroL == 5 && in[10] == 0xff && in[11] == 0xff || zeroL == 7 && in[14] != 0 && in[15] != 1)
		s := 0
		for p := 0; p < words; p++ {
			if zeroL != 0 && p >= zeroS && p < zeroS+zeroL {
				if p == zeroS {
					b.WriteByte(':')
				}
				if p == words-1 {
					b.WriteByte(':')
				}
				s += 2
				continue
			}
			if isV4 && p > 5 {
				if p == 6 {
					b.WriteByte(':')
				} else {
					b.WriteByte('.')
				}
				b.WriteString(strconv.Itoa(int(in[s])))
				s++
				if p != 7 || bits > 120 {
					b.WriteByte('.')
					b.WriteString(strconv.Itoa(int(in[s])))
					s++
				}
			} else {
				if b.Len() > 0 {
					b.WriteByte(':')
				}
				b.WriteString(strconv.FormatInt(int64(in[s])*256+int64(in[s+1]), 16))
				s += 2
			}
		}
	}
	b.WriteString("/" + strconv.Itoa(bits))
	return b.String()
}

// Format is inet_out (cidr false) or cidr_out (cidr true).
func (ip Inet) Format(cidr bool) string {
	s := netNtop(ip.Family, ip.Addr[:], ip.Bits)
	if cidr && !strings.Contains(s, "/") {
		s += "/" + strconv.Itoa(ip.Bits)
	}
	return s
}

// Host is host(inet).
func (ip Inet) Host() string {
	s := netNtop(ip.Family, ip.Addr[:], ip.MaxBits())
	if k := strings.IndexByte(s, '/'); k >= 0 {
		s = s[:k]
	}
	return s
}

// Show is text(inet) (network_show).
func (ip Inet) Show() string {
	s := netNtop(ip.Family, ip.Addr[:], ip.MaxBits())
	if !strings.Contains(s, "/") {
		s += "/" + strconv.Itoa(ip.Bits)
	}
	return s
}

// Abbrev is abbrev(inet) (cidr false) or abbrev(cidr).
func (ip Inet) Abbrev(cidr bool) string {
	if cidr {
		return cidrNtop(ip.Family, ip.Addr[:], ip.Bits)
	}
	return netNtop(ip.Family, ip.Addr[:], ip.Bits)
}

// AppendBinary is inet_send / cidr_send.
func (ip Inet) AppendBinary(dst []byte, cidr bool) []byte {
	c := byte(0)
	if cidr {
		c = 1
	}
	dst = append(dst, ip.Family, byte(ip.Bits), c, byte(ip.size()))
	return append(dst, ip.Addr[:ip.size()]...)
}

// bitncmp compares the first n bits of two addresses (bitncmp).
func bitncmp(l, r []byte, n int) int {
	b := n / 8
	for k := 0; k < b; k++ {
		if l[k] != r[k] {
			if l[k] < r[k] {
				return -1
			}
			return 1
		}
	}
	if n%8 == 0 {
		return 0
	}
	lb, rb := l[b], r[b]
	for k := 0; k < n%8; k++ {
		lbit, rbit := lb&0x80, rb&0x80
		if lbit != rbit {
			if lbit != 0 {
				return 1
			}
			return -1
		}
		lb <<= 1
		rb <<= 1
	}
	return 0
}

// Compare is network_cmp_internal.
func (ip Inet) Compare(o Inet) int {
	if ip.Family == o.Family {
		if c := bitncmp(ip.Addr[:], o.Addr[:], min(ip.Bits, o.Bits)); c != 0 {
			return c
		}
		if ip.Bits != o.Bits {
			if ip.Bits < o.Bits {
				return -1
			}
			return 1
		}
		return bitncmp(ip.Addr[:], o.Addr[:], ip.MaxBits())
	}
	if ip.Family < o.Family {
		return -1
	}
	return 1
}

// SortKey is a string that orders as Compare does, and is equal only
// for equal values.
func (ip Inet) SortKey() string {
	k := make([]byte, 0, 34)
	k = append(k, ip.Family)
	net := ip.masked(ip.Bits)
	k = append(k, net.Addr[:ip.size()]...)
	k = append(k, byte(ip.Bits))
	k = append(k, ip.Addr[:ip.size()]...)
	return hex.EncodeToString(k)
}

// masked keeps the first bits bits of the address.
func (ip Inet) masked(bits int) Inet {
	out := ip
	for k := 0; k < 16; k++ {
		switch {
		case k*8 >= bits:
			out.Addr[k] = 0
		case k*8+8 > bits:
			out.Addr[k] &= byte(0xff << (8 - (bits - k*8)))
		}
	}
	return out
}

func (ip Inet) mask(bits int) [16]byte {
	var m [16]byte
	for k := 0; k < ip.size(); k++ {
		switch {
		case bits >= k*8+8:
			m[k] = 0xff
		case bits > k*8:
			m[k] = byte(0xff << (8 - (bits - k*8)))
		}
	}
	return m
}

// Network is network(inet) (a cidr).
func (ip Inet) Network() Inet { return ip.masked(ip.Bits) }

// Broadcast is broadcast(inet).
func (ip Inet) Broadcast() Inet {
	out := ip
	m := ip.mask(ip.Bits)
	for k := 0; k < ip.size(); k++ {
		out.Addr[k] = ip.Addr[k] | ^m[k]
	}
	return out
}

// Netmask is netmask(inet).
func (ip Inet) Netmask() Inet {
	out := Inet{Family: ip.Family, Bits: ip.MaxBits(), Addr: ip.mask(ip.Bits)}
	return out
}

// Hostmask is hostmask(inet).
func (ip Inet) Hostmask() Inet {
	m := ip.mask(ip.Bits)
	out := Inet{Family: ip.Family, Bits: ip.MaxBits()}
	for k := 0; k < ip.size(); k++ {
		out.Addr[k] = ^m[k]
	}
	return out
}

// SetMasklen is set_masklen(inet, int) (cidr false) or
// set_masklen(cidr, int).
func (ip Inet) SetMasklen(bits int64, cidr bool) (Inet, error) {
	if bits == -1 {
		bits = int64(ip.MaxBits())
	}
	if bits < 0 || bits > int64(ip.MaxBits()) {
		return Inet{}, errf("22023", "invalid mask length: %d", bits)
	}
	out := ip
	out.Bits = int(bits)
	if cidr {
		out = out.masked(out.Bits)
	}
	return out, nil
}

// ToCidr is cidr(inet).
func (ip Inet) ToCidr() Inet { return ip.masked(ip.Bits) }

// Sub is <<, SubEq <<=, Sup >>, SupEq >>=, Overlap &&.
func (ip Inet) Sub(o Inet) bool {
	return ip.Family == o.Family && ip.Bits > o.Bits && bitncmp(ip.Addr[:], o.Addr[:], o.Bits) == 0
}
func (ip Inet) SubEq(o Inet) bool {
	return ip.Family == o.Family && ip.Bits >= o.Bits && bitncmp(ip.Addr[:], o.Addr[:], o.Bits) == 0
}
func (ip Inet) Sup(o Inet) bool   { return o.Sub(ip) }
func (ip Inet) SupEq(o Inet) bool { return o.SubEq(ip) }
func (ip Inet) Overlap(o Inet) bool {
	return ip.Family == o.Family && bitncmp(ip.Addr[:], o.Addr[:], min(ip.Bits, o.Bits)) == 0
}

// Not is ~inet.
func (ip Inet) Not() Inet {
	out := ip
	for k := 0; k < ip.size(); k++ {
		out.Addr[k] = ^ip.Addr[k]
	}
	return out
}

// And is inet & inet, Or inet | inet.
func (ip Inet) And(o Inet) (Inet, error) {
	if ip.Family != o.Family {
		return Inet{}, errf("22023", "cannot AND inet values of different sizes")
	}
	out := ip
	out.Bits = max(ip.Bits, o.Bits)
	for k := 0; k < ip.size(); k++ {
		out.Addr[k] = ip.Addr[k] & o.Addr[k]
	}
	return out, nil
}
func (ip Inet) Or(o Inet) (Inet, error) {
	if ip.Family != o.Family {
		return Inet{}, errf("22023", "cannot OR inet values of different sizes")
	}
	out := ip
	out.Bits = max(ip.Bits, o.Bits)
	for k := 0; k < ip.size(); k++ {
		out.Addr[k] = ip.Addr[k] | o.Addr[k]
	}
	return out, nil
}

// Plus is inet + int8 (internal_inetpl).
func (ip Inet) Plus(addend int64) (Inet, error) {
	out := Inet{Family: ip.Family, Bits: ip.Bits}
	carry := 0
	for nb := ip.size() - 1; nb >= 0; nb-- {
		carry = int(ip.Addr[nb]) + int(addend&0xff) + carry
		out.Addr[nb] = byte(carry)
		carry >>= 8
		addend &^= 0xff
		addend /= 0x100
	}
	if !(addend == 0 && carry == 0 || addend == -1 && carry == 1) {
		return Inet{}, errf("22003", "result is out of range")
	}
	return out, nil
}

// Minus is inet - inet (inetmi).
func (ip Inet) Minus(o Inet) (int64, error) {
	if ip.Family != o.Family {
		return 0, errf("22023", "cannot subtract inet values of different sizes")
	}
	var res int64
	carry := 1
	byt := 0
	for nb := ip.size() - 1; nb >= 0; nb-- {
		carry = int(ip.Addr[nb]) + int(^o.Addr[nb]) + carry
		lobyte := carry & 0xff
		if byt < 8 {
			res |= int64(lobyte) << (byt * 8)
		} else if res < 0 && lobyte != 0xff || res >= 0 && lobyte != 0 {
			return 0, errf("22003", "result is out of range")
		}
		carry >>= 8
		byt++
	}
	if carry == 0 && byt < 8 {
		res |= int64(-1) << (byt * 8)
	}
	return res, nil
}

// Merge is inet_merge: the smallest network containing both.
func (ip Inet) Merge(o Inet) (Inet, error) {
	if ip.Family != o.Family {
		return Inet{}, errf("22023", "cannot merge addresses from different families")
	}
	bits := min(ip.Bits, o.Bits)
	common := bitncommon(ip.Addr[:], o.Addr[:], bits)
	out := ip
	out.Bits = common
	return out.masked(common), nil
}

func bitncommon(l, r []byte, n int) int {
	b := n / 8
	byt := 0
	for ; byt < b; byt++ {
		if l[byt] != r[byt] {
			break
		}
	}
	nbits := byt * 8
	if byt < b {
		diff := l[byt] ^ r[byt]
		for diff&0x80 == 0 {
			nbits++
			diff <<= 1
		}
		return nbits
	}
	if n%8 == 0 {
		return nbits
	}
	diff := l[b] ^ r[b]
	for k := 0; k < n%8 && diff&0x80 == 0; k++ {
		nbits++
		diff <<= 1
	}
	return nbits
}

// Family is family(inet): 4 or 6.
func (ip Inet) FamilyNumber() int {
	if ip.Family == AFInet {
		return 4
	}
	return 6
}
