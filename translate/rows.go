package translate

// Rows of the generated PostgreSQL catalogs (pgdata_gen.go).

type typeRow struct {
	oid       uint32
	name      string // typname
	display   string // format_type(oid, NULL)
	category  byte
	preferred bool
	elem      uint32 // element type of an array type, else 0
	array     uint32 // the array type of this type, else 0
	typlen    int16
	typtype   byte
}

type castRow struct {
	src, dst uint32
	context  byte // i: implicit, a: assignment, e: explicit
	method   byte // f: function, i: I/O conversion, b: binary coercible
	fn       string
}

type operRow struct {
	oid         uint32
	name        string
	kind        byte // b: infix, l: prefix
	left, right uint32
	result      uint32
	procOID     uint32
	proc        string
}

type procRow struct {
	oid       uint32
	name      string
	args      []uint32
	variadic  uint32 // element type of a VARIADIC last argument, else 0
	ret       uint32
	retset    bool
	kind      byte // f: function, a: aggregate, w: window
	strict    bool
	ndefaults int
	volatile  byte // i, s, v
	outNames  []string
	outTypes  []uint32
}

// procArgs are a function's input argument names ("" for an unnamed
// one) and the SQL of each argument's default ("" for none), as
// pg_proc's proargnames and pg_get_function_arg_default give them.
type procArgs struct {
	names    []string
	defaults []string
}
