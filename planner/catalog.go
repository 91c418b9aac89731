package planner

import (
	"sort"
	"strings"

	"github.com/hotdata-dev/hotdata/translate"
)

// ObjectKind says what a catalog object is.
type ObjectKind int

// Object kinds.
const (
	KindTable ObjectKind = iota + 1
	KindDataset
	// KindSystem is an emulated pg_catalog or information_schema relation.
	KindSystem
)

// DatasetsCatalog is the catalog name of datasets, and DatasetsSchema
// their schema.
const (
	DatasetsCatalog = "datasets"
	DatasetsSchema  = "main"
)

// Object is a queryable table: a connection's table or a dataset.
type Object struct {
	Kind    ObjectKind
	Catalog string // connection name, or "datasets"
	Schema  string // upstream schema, or "main"
	Name    string
	// ID is the metastore id of the table or dataset.
	ID string
	// OID is the object's OID in the emulated pg_class (for 'name'::regclass).
	OID uint32
	// Columns maps column names to their PostgreSQL type names (as
	// format_type prints them) and TypeOIDs to the upstream's type OIDs
	// where known; ColumnOrder lists them in table order.
	Columns     map[string]string
	TypeOIDs    map[string]uint32
	ColumnOrder []string
	// PrimaryKey names the primary key's columns.
	PrimaryKey []string
	// Unavailable names the columns the cache could not keep, and why.
	Unavailable map[string]string
	// TextHeld names the columns the current snapshot holds as
	// PostgreSQL's text output (numeric(p,s) with NaN or Infinity).
	TextHeld map[string]bool
	// UserTypes are the upstream's own types the columns have (and
	// those they are made of).
	UserTypes []UserType

	// table is the analyzer's view of the object (NewCatalog builds it).
	table *translate.Table
}

// QualifiedName is catalog.schema.name, quoted where needed.
func (o *Object) QualifiedName() string {
	return QuoteIdent(o.Catalog) + "." + QuoteIdent(o.Schema) + "." + QuoteIdent(o.Name)
}

// Catalog is an immutable view of a workspace's queryable objects.
type Catalog struct {
	objects       []Object
	byName        map[string][]int
	defaultSchema map[string]string
	// userTypes are the upstreams' own types the columns have, by the
	// names a statement may call them (translate.Env.UserTypes).
	userTypes map[string]translate.Type
	// typeHandles are those types by connection and OID.
	typeHandles map[string]map[uint32]translate.Type
	// domains are the domains by connection and OID.
	domains map[string]map[uint32]*UserType
	// upstreamEnums are the upstream's schema and name of each enum
	// (by the analyzer's OID): a live statement names them so.
	upstreamEnums map[uint32][2]string
}

// UserType is one of an upstream's own types (see metastore.UserType).
type UserType struct {
	// OID is the type's OID as clients see it (the upstream's, unless
	// another connection's type has it), ArrayOID its array type's.
	OID, ArrayOID uint32
	// UpstreamOID is its OID upstream, as the columns' TypeOIDs name it;
	// UpstreamArrayOID its array type's.
	UpstreamOID, UpstreamArrayOID uint32
	Schema, Name                  string // upstream schema, typname
	Kind                          string // e, d, c
	Typlen                        int16
	Labels                        []string
	// A domain's base type: upstream OID, typmod, format_type name.
	BaseOID    uint32
	BaseTypmod int32
	BaseType   string
	NotNull    bool
	HasChecks  bool
}

// NewCatalog indexes objects. defaultSchemas maps a connection name to the
// schema that "<connection>.<table>" means (public, or the MySQL database).
func NewCatalog(objects []Object, defaultSchemas map[string]string) *Catalog {
	c := &Catalog{objects: objects, byName: map[string][]int{}, defaultSchema: defaultSchemas}
	for i, o := range objects {
		c.byName[o.Name] = append(c.byName[o.Name], i)
	}
	c.registerUserTypes()
	for i := range c.objects {
		c.objects[i].table = c.table(&c.objects[i])
		for name, oid := range c.objects[i].TypeOIDs {
			if oid >= 16384 {
				// An upstream's own type not described (discovered before
				// Hotdata kept types): its name as format_type printed
				// it, with and without a schema, served as text.
				t := strings.TrimSuffix(c.objects[i].Columns[name], "[]")
				for _, n := range []string{t, t[strings.LastIndexByte(t, '.')+1:]} {
					if _, ok := c.userTypes[n]; !ok {
						c.userTypes[n] = translate.Type{OID: translate.OpaqueOID, Mod: -1}
					}
				}
			}
		}
	}
	return c
}

// Objects returns every object.
func (c *Catalog) Objects() []Object { return c.objects }

// resolve returns the objects a possibly qualified name can mean. Names
// are compared exactly: the parser already folded unquoted ones to lower
// case, as PostgreSQL does.
func (c *Catalog) resolve(catalog, schema, name string) []*Object {
	var out []*Object
	for _, i := range c.byName[name] {
		o := &c.objects[i]
		if c.matches(o, catalog, schema) {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].QualifiedName() < out[j].QualifiedName() })
	return out
}

func (c *Catalog) matches(o *Object, catalog, schema string) bool {
	switch {
	case catalog != "":
		return o.Catalog == catalog && o.Schema == schema
	case schema == "":
		return true
	}
	// Two-part name "x.name": x may be the schema, the connection (its
	// default schema), "datasets", or the quoted "connection.schema" form
	// that the emulated pg_namespace lists.
	if o.Schema == schema && o.Kind == KindTable {
		return true
	}
	if o.Catalog == schema && (o.Kind == KindDataset || c.defaultSchema[o.Catalog] == o.Schema) {
		return true
	}
	if conn, sch, ok := strings.Cut(schema, "."); ok && o.Catalog == conn && o.Schema == sch {
		return true
	}
	return false
}

// QuoteIdent quotes an identifier when PostgreSQL would need it to.
func QuoteIdent(s string) string {
	if isPlainIdent(s) {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func isPlainIdent(s string) bool {
	if s == "" || reservedWords[s] {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && (c >= '0' && c <= '9' || c == '$')) {
			return false
		}
	}
	return true
}

// reservedWords are the keywords that need quoting as table names
// (PostgreSQL's reserved keywords; src/include/parser/kwlist.h).
var reservedWords = wordSet(`all analyse analyze and any array as asc asymmetric both case cast check collate column
		constraint create current_catalog current_date current_role current_time current_timestamp current_user default
		deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect
		into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references
		returning select session_user some symmetric system_user table then to trailing true union unique user using
		variadic when where window with authorization binary collation concurrently cross current_schema freeze full ilike
		inner is isnull join left like natural notnull outer overlaps right similar tablesample verbose`)

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
