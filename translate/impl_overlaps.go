package translate

// (s1, e1) OVERLAPS (s2, e2): overlaps_timestamp's NULL rules (hd_overlaps);
// an interval as the second item of a pair is its start plus it, as
// PostgreSQL's SQL-language overlaps() functions write it.

func init() {
	m := map[string]*Impl{}
	for _, t := range []string{"timestamp", "timestamptz", "time"} {
		m["overlaps("+t+","+t+","+t+","+t+")"] = overlapsImpl(false, false)
		m["overlaps("+t+",interval,"+t+",interval)"] = overlapsImpl(true, true)
		m["overlaps("+t+","+t+","+t+",interval)"] = overlapsImpl(false, true)
		m["overlaps("+t+",interval,"+t+","+t+")"] = overlapsImpl(true, false)
	}
	register(m)
}

// overlapsImpl renders one overlaps() signature; iv1 and iv2 say which
// pairs end with an interval.
func overlapsImpl(iv1, iv2 bool) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		ends := []string{c.Args[1], c.Args[3]}
		for i, iv := range []bool{iv1, iv2} {
			if !iv {
				continue
			}
			e, err := c.l.binaryOp("+", c.args[2*i], c.args[2*i+1], c.loc)
			if err != nil {
				return "", err
			}
			ends[i] = e.sql
		}
		return "hd_overlaps(" + c.Args[0] + ", " + ends[0] + ", " + c.Args[2] + ", " + ends[1] + ")", nil
	}}
}
