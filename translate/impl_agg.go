package translate

import (
	"strconv"
	"strings"
)

// Aggregates and window functions. An aggregate whose float result
// depends on the order of summation accumulates over list() in the
// engine's scan order, computed in Go as PostgreSQL computes it.

func aggSQL(name string, castTo string) *Impl {
	return &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		s := agg(name, c.Args...)
		if castTo != "" {
			s = "CAST(" + s + " AS " + castTo + ")"
		}
		return s, nil
	}}
}

func init() {
	m := map[string]*Impl{}
	add := func(key string, impl *Impl) { m[key] = impl }

	add("count()", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		return agg("count", "*"), nil
	}})
	add("count(any)", aggSQL("count", ""))
	add("sum(int2)", aggSQL("sum", "BIGINT"))
	add("sum(int4)", aggSQL("sum", "BIGINT"))
	add("sum(int8)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		c.num = fixedNum(38, 0)
		return "CAST(" + agg("sum", c.Args...) + " AS DECIMAL(38,0))", nil
	}})
	add("sum(float8)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		return "hd_float_sum(" + agg("list", c.Args[0]) + ", 64)", nil
	}})
	add("sum(float4)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		return "CAST(hd_float_sum(" + agg("list", "CAST("+c.Args[0]+" AS DOUBLE)") + ", 32) AS FLOAT)", nil
	}})
	add("sum(numeric)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		a := c.args[0]
		if a.num.fixed {
			c.num = fixedNum(maxDecimal, a.num.s)
			return "CAST(" + agg("sum", a.sql) + " AS DECIMAL(38," + strconv.Itoa(a.num.s) + "))", nil
		}
		c.num = numText
		return "hd_num_sum(" + agg("list", a.sql) + ")", nil
	}})
	add("sum(interval)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		return "hd_interval_sum(" + agg("list", c.Args[0]) + ")", nil
	}})
	avgInt := &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		c.num = numText
		return "hd_num_div(CAST(" + agg("sum", c.Args[0]) + " AS VARCHAR), CAST(" + agg("count", c.Args[0]) + " AS VARCHAR))", nil
	}}
	add("avg(int2)", avgInt)
	add("avg(int4)", avgInt)
	add("avg(int8)", avgInt)
	add("avg(numeric)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		a := c.args[0]
		c.num = numText
		if a.num.fixed {
			return "hd_num_div(CAST(" + agg("sum", a.sql) + " AS VARCHAR), CAST(" + agg("count", a.sql) + " AS VARCHAR))", nil
		}
		return "hd_num_avg(" + agg("list", a.sql) + ")", nil
	}})
	add("avg(float8)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		return "hd_float8_avg(" + agg("list", c.Args[0]) + ")", nil
	}})
	add("avg(float4)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		return "hd_float8_avg(" + agg("list", "CAST("+c.Args[0]+" AS DOUBLE)") + ")", nil
	}})
	add("avg(interval)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		return "hd_interval_avg(" + agg("list", c.Args[0]) + ")", nil
	}})
	for _, t := range []string{"int2", "int4", "int8", "float4", "float8", "date", "timestamp", "timestamptz", "interval", "text", "bpchar", "anyarray"} {
		add("min("+t+")", aggSQL("min", ""))
		add("max("+t+")", aggSQL("max", ""))
	}
	for _, f := range []string{"min", "max"} {
		f := f
		add(f+"(numeric)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
			a := c.args[0]
			if a.num.fixed {
				c.num = a.num
				return agg(f, a.sql), nil
			}
			c.num = numText
			return agg("arg_"+f, a.sql, "hd_num_key("+a.sql+")"), nil
		}})
	}
	add("bool_and(bool)", aggSQL("bool_and", ""))
	add("bool_or(bool)", aggSQL("bool_or", ""))
	add("every(bool)", aggSQL("bool_and", ""))
	for _, t := range []string{"int2", "int4", "int8"} {
		add("bit_and("+t+")", aggSQL("bit_and", ""))
		add("bit_or("+t+")", aggSQL("bit_or", ""))
	}
	// string_agg: a NULL delimiter is an empty one; a delimiter that
	// varies by row goes before its row's value (the engine's takes a
	// constant only).
	add("string_agg(text,text)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		if c.args[1].constant {
			sep := c.Args[1]
			if !strings.HasPrefix(sep, "'") {
				sep = "coalesce(" + sep + ", '')"
			}
			return agg("string_agg", c.Args[0], sep), nil
		}
		l := "list_filter(" + agg("list", "struct_pack(v := "+c.Args[0]+", d := coalesce("+c.Args[1]+", ''))") + ", lambda hd_e: hd_e.v IS NOT NULL)"
		return "CASE WHEN len(" + l + ") = 0 THEN NULL ELSE (" + l + ")[1].v || array_to_string(list_transform((" + l + ")[2:], lambda hd_e: hd_e.d || hd_e.v), '') END", nil
	}})
	// string_agg(bytea, bytea): the engine's takes text only; the values
	// and their delimiters are listed and joined.
	add("string_agg(bytea,bytea)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		l := "list_filter(" + agg("list", "struct_pack(v := "+c.Args[0]+", d := coalesce("+c.Args[1]+", CAST('' AS BLOB)))") + ", lambda hd_e: hd_e.v IS NOT NULL)"
		return "hd_bytea_join(list_transform(" + l + ", lambda hd_e: hd_e.v), list_transform(" + l + ", lambda hd_e: hd_e.d))", nil
	}})
	add("array_agg(anynonarray)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		c.num = c.args[0].num
		return agg("list", c.Args[0]), nil
	}})
	jsonAgg := func(kind string) *Impl {
		return &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
			a := c.args[0]
			d, err := jsonDesc(a)
			if err != nil {
				return "", err
			}
			return "hd_json_agg(" + agg("list", a.sql) + ", " + sqlString(d) + ", " + sqlString(kind) + ", " + styleMarker + ")", nil
		}}
	}
	add("json_agg(anyelement)", jsonAgg("json"))
	add("jsonb_agg(anyelement)", jsonAgg("jsonb"))
	objAgg := func(kind string) *Impl {
		return &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
			k, v := c.args[0], c.args[1]
			kd, err := jsonDesc(k)
			if err != nil {
				return "", err
			}
			vd, err := jsonDesc(v)
			if err != nil {
				return "", err
			}
			return "hd_json_object_agg(" + agg("list", k.sql) + ", " + agg("list", v.sql) + ", " + sqlString(kd) + ", " + sqlString(vd) + ", " +
				sqlString(kind) + ", " + styleMarker + ")", nil
		}, NoDistinct: true}
	}
	add("json_object_agg(any,any)", objAgg("json"))
	add("jsonb_object_agg(any,any)", objAgg("jsonb"))
	// Variance and standard deviation.
	for _, f := range []string{"stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop"} {
		kind := map[string]string{"stddev": "stddev_samp", "variance": "var_samp"}[f]
		if kind == "" {
			kind = f
		}
		add(f+"(float8)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
			return "hd_float8_var(" + agg("list", c.Args[0]) + ", " + sqlString(kind) + ")", nil
		}})
		add(f+"(float4)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
			return "hd_float8_var(" + agg("list", "CAST("+c.Args[0]+" AS DOUBLE)") + ", " + sqlString(kind) + ")", nil
		}})
		numVar := &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
			c.num = numText
			return "hd_num_var(" + agg("list", textNum(c.args[0])) + ", " + sqlString(kind) + ")", nil
		}}
		for _, t := range []string{"int2", "int4", "int8"} {
			add(f+"("+t+")", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
				c.num = numText
				return "hd_num_var(" + agg("list", "CAST("+c.Args[0]+" AS VARCHAR)") + ", " + sqlString(kind) + ")", nil
			}})
		}
		add(f+"(numeric)", numVar)
	}
	for _, f := range []string{"corr", "covar_pop", "covar_samp", "regr_slope", "regr_intercept", "regr_r2", "regr_avgx", "regr_avgy", "regr_sxx", "regr_syy", "regr_sxy"} {
		f := f
		add(f+"(float8,float8)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
			return "hd_float8_regr(" + agg("list", "["+c.Args[0]+", "+c.Args[1]+"]") + ", " + sqlString(f) + ")", nil
		}})
	}
	add("regr_count(float8,float8)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		return agg("count", "CASE WHEN "+c.Args[0]+" IS NOT NULL AND "+c.Args[1]+" IS NOT NULL THEN 1 END"), nil
	}})
	// Ordered-set aggregates: their WITHIN GROUP order sorts the list.
	add("percentile_cont(float8,float8)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		return "hd_percentile_cont(" + agg("list", c.Args[1]) + ", " + c.Args[0] + ")", nil
	}})
	add("percentile_cont(float8,interval)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		return "hd_percentile_cont_interval(" + agg("list", c.Args[1]) + ", " + c.Args[0] + ")", nil
	}})
	add("percentile_disc(float8,anyelement)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		c.num = c.args[1].num
		return "hd_percentile_disc(" + agg("list", c.Args[1]) + ", " + c.Args[0] + ")", nil
	}})
	// With an array of fractions: an array of percentiles (NULL for a
	// NULL fraction; NULL when no row has a value).
	add("percentile_cont(_float8,float8)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		return "hd_percentile_multi_cont(" + agg("list", c.Args[1]) + ", " + c.Args[0] + ")", nil
	}})
	add("percentile_cont(_float8,interval)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		return "hd_percentile_multi_cont_interval(" + agg("list", c.Args[1]) + ", " + c.Args[0] + ")", nil
	}})
	add("percentile_disc(_float8,anyelement)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		c.num = c.args[1].num
		return "hd_percentile_multi_disc(" + agg("list", c.Args[1]) + ", " + c.Args[0] + ")", nil
	}})
	add("mode(anyelement)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		c.num = c.args[0].num
		if len(c.withinOrder) > 0 && !c.args[0].num.fixed && c.args[0].typ.OID == OIDNumeric {
			return "", unsupported("mode() over numeric values of varying scale is not supported by Hotdata's cache engine")
		}
		return "hd_mode(" + agg("list", c.Args[0]) + ")", nil
	}})
	// Window functions.
	win := func(name, castTo string) *Impl { return aggSQL(name, castTo) }
	add("row_number()", win("row_number", "BIGINT"))
	add("rank()", win("rank", "BIGINT"))
	add("dense_rank()", win("dense_rank", "BIGINT"))
	add("percent_rank()", win("percent_rank", "DOUBLE"))
	add("cume_dist()", win("cume_dist", "DOUBLE"))
	add("ntile(int4)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		arg := "CASE WHEN " + c.Args[0] + " <= 0 THEN " + raise("22014", "argument of ntile must be greater than zero") + " ELSE " + c.Args[0] + " END"
		return "CAST(" + agg("ntile", arg) + " AS INTEGER)", nil
	}})
	lagLead := func(name string) *Impl {
		return &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
			c.num = c.args[0].num
			if len(c.args) == 3 && c.Result.OID == OIDNumeric && c.args[0].num != c.args[2].num {
				// The default has another scale than the values: both
				// in the text form, each value keeping its own scale.
				c.num = numText
				return agg(name, textNum(c.args[0]), c.Args[1], textNum(c.args[2])), nil
			}
			return agg(name, c.Args...), nil
		}}
	}
	for _, f := range []string{"lag", "lead"} {
		add(f+"(anyelement)", lagLead(f))
		add(f+"(anyelement,int4)", lagLead(f))
		add(f+"(anycompatible,int4,anycompatible)", lagLead(f))
	}
	add("first_value(anyelement)", lagLead("first_value"))
	add("last_value(anyelement)", lagLead("last_value"))
	add("nth_value(anyelement,int4)", &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		c.num = c.args[0].num
		n := "CASE WHEN " + c.Args[1] + " <= 0 THEN " + raise("22016", "argument of nth_value must be greater than zero") + " ELSE " + c.Args[1] + " END"
		return agg("nth_value", c.Args[0], n), nil
	}})
	register(m)
}
