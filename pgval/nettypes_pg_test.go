package pgval

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/jackc/pgx/v5/pgconn"
)

// Randomized differential tests of inet/cidr, money, bit strings and
// timetz against a PostgreSQL server (internal/testenv): random inputs,
// valid and malformed, read and printed by both, and random operations
// on valid values.

// pgText runs a query of one text column with text parameters and
// returns its answer or "ERROR <SQLSTATE>".
func (p *pgSession) pgText(t testing.TB, query string, args ...any) string {
	// Every parameter must have a type: those the query leaves out are
	// named in a predicate that is always true.
	var unused []string
	for k, a := range args {
		if !strings.Contains(query, "$"+strconv.Itoa(k+1)) {
			typ := map[string]string{"string": "text", "float64": "float8", "int64": "int8", "int": "int8"}[fmt.Sprintf("%T", a)]
			unused = append(unused, "$"+strconv.Itoa(k+1)+"::"+typ+" IS NULL")
		}
	}
	if len(unused) > 0 {
		query = "SELECT * FROM (" + query + ") q WHERE NOT (" + strings.Join(unused, " AND ") + ") OR true"
	}
	var res *string
	err := p.conn.QueryRow(context.Background(), query, args...).Scan(&res)
	if err != nil {
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			t.Fatalf("%s %v: %v", query, args, err)
		}
		return "ERROR " + pe.Code
	}
	if res == nil {
		return "NULL"
	}
	return *res
}

// asPgerr is an error's SQLSTATE.
func asPgerr(err error) string {
	if e := pgerr.As(err); e != nil {
		return e.Code
	}
	return "XX000"
}

func randInetText(r *rand.Rand) string {
	switch r.Intn(6) {
	case 0: // IPv4 with optional mask
		n := 1 + r.Intn(5)
		parts := make([]string, n)
		for i := range parts {
			v := r.Intn(260)
			if r.Intn(3) > 0 {
				v = []int{0, 1, 10, 127, 128, 192, 224, 240, 255}[r.Intn(9)]
			}
			parts[i] = strconv.Itoa(v)
		}
		s := strings.Join(parts, ".")
		if r.Intn(2) == 0 {
			s += "/" + strconv.Itoa(r.Intn(34))
		}
		return s
	case 1, 2: // IPv6
		n := 1 + r.Intn(8)
		words := make([]string, n)
		for i := range words {
			switch r.Intn(4) {
			case 0:
				words[i] = ""
			case 1:
				words[i] = "0"
			default:
				words[i] = strconv.FormatInt(int64(r.Intn(0x10000)), 16)
			}
		}
		s := strings.Join(words, ":")
		if r.Intn(3) == 0 {
			s = "::" + s
		}
		if r.Intn(4) == 0 {
			s += ":1.2.3." + strconv.Itoa(r.Intn(256))
		}
		if r.Intn(2) == 0 {
			s += "/" + strconv.Itoa(r.Intn(130))
		}
		return s
	case 3: // hex cidr form
		return "0x" + strconv.FormatInt(int64(r.Intn(1<<20)), 16)
	case 4: // embedded IPv4
		return fmt.Sprintf("::ffff:%d.%d.%d.%d/%d", r.Intn(256), r.Intn(256), r.Intn(256), r.Intn(256), 96+r.Intn(33))
	}
	// noise
	const alpha = "0123456789abcdef.:/x "
	b := make([]byte, 1+r.Intn(12))
	for i := range b {
		b[i] = alpha[r.Intn(len(alpha))]
	}
	return string(b)
}

func TestInetPostgres(t *testing.T) {
	p := openPG(t)
	r := rand.New(rand.NewSource(15))
	var valid []string
	for i := 0; i < 3000; i++ {
		s := randInetText(r)
		for _, cidr := range []bool{false, true} {
			typ := "inet"
			if cidr {
				typ = "cidr"
			}
			want := p.pgText(t, "SELECT abbrev($1::text::"+typ+") || ' ' || text($1::text::"+typ+") || ' ' || $1::text::"+typ+"::text", s)
			var got string
			ip, err := ParseInet(s, cidr)
			if err != nil {
				got = "ERROR " + asPgerr(err)
			} else {
				got = ip.Abbrev(cidr) + " " + ip.Show() + " " + ip.Show()
				if !cidr {
					valid = append(valid, s)
				}
			}
			if got != want {
				t.Errorf("%q::%s: got %q, want %q", s, typ, got, want)
			}
		}
	}
	for i := 0; i < 1500 && len(valid) > 1; i++ {
		a, b := valid[r.Intn(len(valid))], valid[r.Intn(len(valid))]
		n := r.Int63n(1<<40) - 1<<39
		want := p.pgText(t, `SELECT concat_ws(' ', sign(network_cmp($1::inet, $2::inet)), $1::inet << $2::inet, $1::inet <<= $2::inet,
			$1::inet >> $2::inet, $1::inet >>= $2::inet, $1::inet && $2::inet, inet_same_family($1::inet, $2::inet), host($1::inet), network($1::inet),
			broadcast($1::inet), netmask($1::inet), hostmask($1::inet), ~$1::inet, masklen($1::inet), family($1::inet))`, a, b)
		x, _ := ParseInet(a, false)
		y, _ := ParseInet(b, false)
		bs := func(v bool) string {
			if v {
				return "t"
			}
			return "f"
		}
		c := x.Compare(y)
		if c > 0 {
			c = 1
		} else if c < 0 {
			c = -1
		}
		if (x.SortKey() < y.SortKey()) != (c < 0) || (x.SortKey() == y.SortKey()) != (c == 0) {
			t.Errorf("sort key of %s, %s disagrees with the comparison %d", a, b, c)
		}
		got := strings.Join([]string{strconv.Itoa(c), bs(x.Sub(y)), bs(x.SubEq(y)), bs(x.Sup(y)), bs(x.SupEq(y)), bs(x.Overlap(y)),
			bs(x.Family == y.Family), x.Host(), x.Network().Format(true), x.Broadcast().Format(false), x.Netmask().Format(false),
			x.Hostmask().Format(false), x.Not().Format(false), strconv.Itoa(x.Bits), strconv.Itoa(x.FamilyNumber())}, " ")
		if got != want {
			t.Errorf("ops of %s, %s: got %q, want %q", a, b, got, want)
		}
		res := func(s string, err error) string {
			if err != nil {
				return "ERROR " + asPgerr(err)
			}
			return s
		}
		checks := []struct {
			q   string
			got string
		}{
			{"SELECT ($1::inet & $2::inet)::text", res(func() (string, error) { v, err := x.And(y); return v.Show(), err }())},
			{"SELECT ($1::inet | $2::inet)::text", res(func() (string, error) { v, err := x.Or(y); return v.Show(), err }())},
			{"SELECT inet_merge($1::inet, $2::inet)::text", res(func() (string, error) { v, err := x.Merge(y); return v.Format(true), err }())},
			{"SELECT ($1::inet - $2::inet)::text", res(func() (string, error) { v, err := x.Minus(y); return strconv.FormatInt(v, 10), err }())},
		}
		for _, ck := range checks {
			if w := p.pgText(t, ck.q, a, b); w != ck.got {
				t.Errorf("%s with %s, %s: got %q, want %q", ck.q, a, b, ck.got, w)
			}
		}
		if w, g := p.pgText(t, "SELECT abbrev($1::inet + $2::int8)", a, n), res(func() (string, error) { v, err := x.Plus(n); return v.Format(false), err }()); w != g {
			t.Errorf("%s + %d: got %q, want %q", a, n, g, w)
		}
		if w, g := p.pgText(t, "SELECT set_masklen($1::inet, $2::int)::text", a, int(n%140)), res(func() (string, error) { v, err := x.SetMasklen(n%140, false); return v.Show(), err }()); w != g {
			t.Errorf("set_masklen(%s, %d): got %q, want %q", a, n%140, g, w)
		}
	}
}

func randMoneyText(r *rand.Rand) string {
	const alpha = "0123456789$,.-+() "
	if r.Intn(3) == 0 {
		b := make([]byte, 1+r.Intn(14))
		for i := range b {
			b[i] = alpha[r.Intn(len(alpha))]
		}
		return string(b)
	}
	s := strconv.FormatInt(r.Int63n(1<<62), 10)
	s = s[:1+r.Intn(len(s))]
	if r.Intn(2) == 0 {
		s += "." + strconv.Itoa(r.Intn(10000))
	}
	switch r.Intn(5) {
	case 0:
		s = "-" + s
	case 1:
		s = "$" + s
	case 2:
		s = "(" + s + ")"
	case 3:
		s = "-$" + s
	}
	return s
}

func TestMoneyPostgres(t *testing.T) {
	p := openPG(t)
	r := rand.New(rand.NewSource(790))
	var valid []int64
	for i := 0; i < 3000; i++ {
		s := randMoneyText(r)
		want := p.pgText(t, "SELECT $1::text::money::text", s)
		var got string
		c, err := ParseMoney(s)
		if err != nil {
			got = "ERROR " + asPgerr(err)
		} else {
			got = FormatMoney(c)
			valid = append(valid, c)
		}
		if got != want {
			t.Errorf("%q::money: got %q, want %q", s, got, want)
		}
	}
	res := func(c int64, err error) string {
		if err != nil {
			return "ERROR " + asPgerr(err)
		}
		return FormatMoney(c)
	}
	for i := 0; i < 1500; i++ {
		a, b := valid[r.Intn(len(valid))], valid[r.Intn(len(valid))]
		f := r.NormFloat64() * 1000
		n := r.Int63n(2000) - 1000
		as, bs := FormatMoney(a), FormatMoney(b)
		for _, ck := range []struct{ q, got string }{
			{"SELECT ($1::money + $2::money)::text", res(MoneyPlus(a, b))},
			{"SELECT ($1::money - $2::money)::text", res(MoneyMinus(a, b))},
			{"SELECT ($1::money * $3::float8)::text", res(MoneyMulFloat(a, f))},
			{"SELECT ($1::money / $3::float8)::text", res(MoneyDivFloat(a, f))},
			{"SELECT ($1::money * $4::int8)::text", res(MoneyMulInt(a, n))},
			{"SELECT ($1::money / $4::int8)::text", res(MoneyDivInt(a, n))},
			{"SELECT ($1::money::numeric)::text", MoneyToNumeric(a).String()},
			{"SELECT ($1::money::numeric * $3::float8::numeric)::money::text", func() string {
				fn, _ := NumericFromFloat(f, 64)
				return res(NumericToMoney(MoneyToNumeric(a).Mul(fn)))
			}()},
			{"SELECT cash_words($1::money)", MoneyWords(a)},
		} {
			if w := p.pgText(t, ck.q, as, bs, f, n); w != ck.got {
				t.Errorf("%s with %s, %s, %v, %d: got %q, want %q", ck.q, as, bs, f, n, ck.got, w)
			}
		}
	}
}

func TestBitPostgres(t *testing.T) {
	p := openPG(t)
	r := rand.New(rand.NewSource(1560))
	rb := func() string {
		b := make([]byte, r.Intn(20))
		for i := range b {
			b[i] = '0' + byte(r.Intn(2))
		}
		return string(b)
	}
	for i := 0; i < 1500; i++ {
		a, b := rb(), rb()
		if r.Intn(3) == 0 {
			b = a[:r.Intn(len(a)+1)] + b[:min(len(b), r.Intn(3))]
		}
		k, l := int64(r.Intn(24)-4), int64(r.Intn(24)-4)
		str := func(s string, err error) string {
			if err != nil {
				return "ERROR " + asPgerr(err)
			}
			return s
		}
		num := func(v int64, err error) string {
			if err != nil {
				return "ERROR " + asPgerr(err)
			}
			return strconv.FormatInt(v, 10)
		}
		for _, ck := range []struct{ q, got string }{
			{"SELECT bitcmp($1::text::varbit, $2::text::varbit)::text", strconv.Itoa(BitCmp(a, b))},
			{"SELECT (($1::text::varbit < $2::text::varbit) = ($1 < $2))::text", "true"},
			{"SELECT ($1::text::varbit & $2::text::varbit)::text", str(BitAnd(a, b))},
			{"SELECT ($1::text::varbit # $2::text::varbit)::text", str(BitXor(a, b))},
			{"SELECT ($1::text::varbit << $3::int)::text", BitShiftLeft(a, k)},
			{"SELECT ($1::text::varbit >> $3::int)::text", BitShiftRight(a, k)},
			{"SELECT substring($1::text::varbit FROM $3::int FOR $4::int)::text", str(BitSubstring(a, k, l, false))},
			{"SELECT overlay($1::text::varbit PLACING $2::text::varbit FROM $3::int FOR $4::int)::text", str(BitOverlay(a, b, k, l))},
			{"SELECT position($2::text::varbit IN $1::text::varbit)::text", strconv.FormatInt(BitPosition(a, b), 10)},
			{"SELECT get_bit($1::text::varbit, $3::int)::text", num(BitGet(a, k))},
			{"SELECT ($3::int)::bit(" + strconv.Itoa(int(l+5)) + ")::text", BitFromInt(k, 32, int(l+5))},
			{"SELECT $1::text::bit(" + strconv.Itoa(int(l+5)) + ")::text", str(BitTypmod(a, int(l+5), true, false))},
			{"SELECT $1::text::bit(" + strconv.Itoa(max(len(a), 1)) + ")::int8::text", func() string {
				padded, _ := BitTypmod(a, max(len(a), 1), true, false)
				return num(BitToInt(padded, 64))
			}()},
			{"SELECT (-$3::int * 1234567)::bit(" + strconv.Itoa(int(l+30)) + ")::text", BitFromInt(-k*1234567, 32, int(l+30))},
		} {
			if w := p.pgText(t, ck.q, a, b, k, l); w != ck.got {
				t.Errorf("%s with %q, %q, %d, %d: got %q, want %q", ck.q, a, b, k, l, ck.got, w)
			}
		}
	}
}

func TestTimetzPostgres(t *testing.T) {
	p := openPG(t)
	p.pgInput(t, "text", "", dtDefault) // the session's settings
	r := rand.New(rand.NewSource(1266))
	zones := []string{"+00", "-05", "+05:30", "-15:59", "+15:59:59", " PST", " EST5EDT", "Z", " UTC", "+1", "-0130", " +0545"}
	var valid []Timetz
	for i := 0; i < 2000; i++ {
		s := fmt.Sprintf("%02d:%02d:%02d", r.Intn(26), r.Intn(61), r.Intn(61))
		if r.Intn(2) == 0 {
			s += "." + strconv.Itoa(r.Intn(10000000))
		}
		s += zones[r.Intn(len(zones))]
		want := p.pgText(t, "SELECT $1::text::timetz::text", s)
		var got string
		v, err := ParseTimetz(s, DefaultStyle, nil)
		if err != nil {
			got = "ERROR " + asPgerr(err)
		} else {
			got = v.String()
			valid = append(valid, v)
		}
		if got != want {
			t.Errorf("%q::timetz: got %q, want %q", s, got, want)
		}
	}
	for i := 0; i < 800; i++ {
		a, b := valid[r.Intn(len(valid))], valid[r.Intn(len(valid))]
		iv := Interval{Micros: r.Int63n(4*USecsPerDay) - 2*USecsPerDay}
		c := a.Compare(b)
		for _, ck := range []struct{ q, got string }{
			{"SELECT sign(timetz_cmp($1::timetz, $2::timetz))::text", strconv.Itoa(c)},
			{"SELECT ($1::timetz + make_interval(secs => $3::float8 / 1e6))::text", a.PlusInterval(iv, 1).String()},
			{"SELECT ($1::timetz AT TIME ZONE make_interval(secs => extract(timezone FROM $2::timetz)))::text", a.AtZone(b.Zone).String()},
			{"SELECT concat_ws(' ', extract(epoch FROM $1::timetz), extract(second FROM $1::timetz), date_part('epoch', $1::timetz), extract(timezone_minute FROM $1::timetz))", func() string {
				e, _, _ := ExtractTimetz("epoch", a, false)
				s, _, _ := ExtractTimetz("second", a, false)
				_, f, _ := ExtractTimetz("epoch", a, true)
				m, _, _ := ExtractTimetz("timezone_minute", a, false)
				return e.String() + " " + s.String() + " " + string(AppendFloat(nil, f, 64, 1)) + " " + m.String()
			}()},
		} {
			if w := p.pgText(t, ck.q, a.String(), b.String(), float64(iv.Micros)); w != ck.got {
				t.Errorf("%s with %s, %s, %d: got %q, want %q", ck.q, a, b, iv.Micros, ck.got, w)
			}
		}
	}
}
