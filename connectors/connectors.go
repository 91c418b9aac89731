package connectors

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sort"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// MetaSourceType is the Arrow field metadata key under which a connector
// records the upstream's own type name of a column (for example
// "numeric(12,2)"), so that catalogs can show it.
const MetaSourceType = "hotdata.source_type"

// Field metadata keys of a column that a scan reads as the source's text
// output of its values (ScanRequest.AsText) instead of its native form.
const (
	// MetaTextHeld is "true" on every such column.
	MetaTextHeld = "hotdata.text_held"
	// MetaUnavailable says why the cache cannot serve the column, when it
	// cannot: a column with a reason is refused by queries that read it;
	// one without (a numeric(p,s) with NaN or Infinity) is served from
	// its text.
	MetaUnavailable = "hotdata.unavailable"
)

// MetaDecimalText is "true" on a string column that holds exact decimal
// numbers as text (a numeric too wide, or without a scale, for a
// decimal128): an incremental sync orders its values as numbers, not as
// strings.
const MetaDecimalText = "hotdata.decimal_text"

// NeedsTextError is a scan's error when it meets a value that the
// column's native form cannot hold exactly (a NaN in a numeric(p,s), a
// two-dimensional array, a zero date, …). Nothing the scan produced is
// valid: the caller may scan the table again with the column in
// ScanRequest.AsText, Reason as its value. A scan never returns it for
// a column it reads as text.
type NeedsTextError struct {
	Column string
	// Reason says why the cache cannot serve the column ("it holds
	// 2-dimensional arrays; …"); "" when its text form serves it
	// exactly (numeric(p,s) with NaN or Infinity, read as numeric text).
	Reason string
}

func (e *NeedsTextError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("column %s has values its cached form cannot hold (NaN or Infinity): read it as text", e.Column)
	}
	return fmt.Sprintf("column %s has values its cached form cannot hold: %s", e.Column, e.Reason)
}

// Connector is an open handle on one upstream source. Implementations are
// safe for concurrent use; Close releases their connections.
type Connector interface {
	// Test checks that the source answers and the credentials work.
	Test(ctx context.Context) error
	// Discover lists the tables the credentials can read, with columns,
	// primary keys, other indexes, foreign keys and row estimates.
	Discover(ctx context.Context) ([]Table, error)
	// Scan streams a table's rows as Arrow record batches. The reader's
	// schema is known before the first batch; the caller must Release it.
	// Columns of types without an exact Arrow form come as text and are
	// named in Warnings.
	Scan(ctx context.Context, req ScanRequest) (Scan, error)
	Close() error
}

// Scan is a running table scan.
type Scan interface {
	array.RecordReader
	// Warnings says which columns were converted lossily or to text.
	Warnings() []string
}

// Table is a discovered table.
type Table struct {
	Schema     string
	Name       string
	Columns    []Column
	PrimaryKey []string
	// PrimaryKeyName is the primary key constraint's name ("" when the
	// source has none of its own, as on MySQL).
	PrimaryKeyName string
	RowEstimate    int64
	// Indexes are the table's other indexes, by name.
	Indexes []Index
	// ForeignKeys are the table's foreign keys, by name.
	ForeignKeys []ForeignKey
	// UserTypes are the upstream's own types the columns have (enums,
	// domains, composite types; with the types these are made of), by
	// OID. Arrays of them are named by their element's ArrayOID.
	UserTypes []UserType
}

// UserType is one of an upstream's own types (PostgreSQL's CREATE TYPE
// … AS ENUM, CREATE DOMAIN, CREATE TYPE … AS (…)), as pg_type and
// pg_enum describe it.
type UserType struct {
	// OID is the type's OID upstream; ArrayOID its array type's (0: none).
	OID      uint32
	ArrayOID uint32
	// Schema and Name are typnamespace's name and typname.
	Schema string
	Name   string
	// Kind is typtype: "e" enum, "d" domain, "c" composite.
	Kind string
	// Typlen is pg_type.typlen (-1: variable length).
	Typlen int16
	// Labels are an enum's labels in their sort order (enumsortorder).
	Labels []string
	// A domain's base type: its OID, typmod and name as format_type
	// prints them.
	BaseOID    uint32
	BaseTypmod int32
	BaseType   string
	// NotNull and Checks are a domain's constraints (Checks as
	// pg_get_constraintdef prints them, by name): metadata only.
	NotNull bool
	Checks  []string
	// Fields are a composite type's fields, in order.
	Fields []Column
}

// Index is an index other than the primary key's.
type Index struct {
	Name string
	// Method is the access method as PostgreSQL names it: btree, hash,
	// gist, gin, spgist, brin.
	Method string
	Unique bool
	// Constraint is true when the index backs a UNIQUE constraint
	// rather than standing alone.
	Constraint bool
	// Columns are the key columns, then those only included (INCLUDE);
	// KeyColumns counts the key columns.
	Columns    []IndexColumn
	KeyColumns int
	// Definition is the index as PostgreSQL's pg_get_indexdef prints it
	// from USING on, without USING: "btree (customer_id, ordered_at DESC)"
	// ("": derive it from Columns). PrettyDefinition is its pretty form
	// (pg_get_indexdef(index, 0, true), as psql prints it), "" when the
	// same.
	Definition       string
	PrettyDefinition string
	// Predicate is a partial index's condition as pg_get_expr prints it
	// ("" for none); PrettyPredicate is its pretty form, "" when the same.
	Predicate       string
	PrettyPredicate string
}

// IndexColumn is one column (or expression) of an index.
type IndexColumn struct {
	// Name is the column's name in the index: the table column's, or
	// what PostgreSQL names an expression (lower, expr).
	Name string
	// Expression is an expression key as PostgreSQL prints it; "" for a
	// table column.
	Expression string
	Descending bool
	NullsFirst bool
	// TypeOID is the type the index stores (the column's, or another:
	// a hash index keeps integers), 0 when unknown.
	TypeOID uint32
}

// ForeignKey is a foreign key constraint: Columns reference RefColumns
// of the table RefSchema.RefTable of the same source.
type ForeignKey struct {
	Name       string
	Columns    []string
	RefSchema  string
	RefTable   string
	RefColumns []string
	// OnUpdate and OnDelete are PostgreSQL's action codes: a (no
	// action), r (restrict), c (cascade), n (set null), d (set default).
	OnUpdate, OnDelete string
	// DeleteSetColumns are the columns ON DELETE SET NULL/DEFAULT sets,
	// when it names some (PostgreSQL 15).
	DeleteSetColumns []string
	// Match is s (simple), f (full) or p (partial).
	Match      string
	Deferrable bool
	Deferred   bool
	// NotValid is true when the upstream does not enforce the
	// constraint on existing rows (NOT VALID).
	NotValid bool
}

// Column is a discovered column.
type Column struct {
	Name     string
	DataType string // the upstream's own name for the type, with modifiers
	Nullable bool
	// TypeOID is the PostgreSQL type OID the column is served as (the
	// upstream's own on PostgreSQL); the emulated pg_catalog shows it.
	TypeOID uint32
}

// ScanRequest names the table to scan and the columns to read.
type ScanRequest struct {
	Schema string
	Table  string
	// Columns to read, as discovered; empty reads all in table order.
	Columns []Column
	// BatchRows bounds the rows in one record batch; 0 picks a default.
	BatchRows int
	// Filter keeps the rows for which every predicate holds (pushed down
	// to the source). Incremental syncs read "column > last value".
	Filter []Predicate
	// AsText names columns to read as the source's text output of their
	// values, each with the reason the cache cannot serve it ("" when
	// the text serves it: see NeedsTextError); the scan marks their
	// fields with MetaTextHeld and MetaUnavailable. Names of columns the
	// table no longer has are ignored.
	AsText map[string]string
	// Snapshot, when set, is a source snapshot to read the table in (a
	// PostgreSQL exported snapshot: change data capture starts from it).
	Snapshot string
}

// Predicate compares a column with a constant: Column Op Value.
type Predicate struct {
	Column string
	// Op is one of =, <>, <, <=, >, >=.
	Op string
	// Value is int64, float64, string, bool, time.Time or a decimal in a
	// string; the source compares it as the column's type.
	Value any
}

// ValidOp reports whether op is a predicate operator.
func ValidOp(op string) bool {
	switch op {
	case "=", "<>", "<", "<=", ">", ">=":
		return true
	}
	return false
}

// Type is a source type that can be registered.
type Type struct {
	Name  string // source_type in the API, e.g. "postgres"
	Label string
	// ConfigSchema is the JSON Schema of the config object.
	ConfigSchema json.RawMessage
	// SecretField names the config field that holds the password or
	// token, which the API moves into a secret.
	SecretField string
	// DefaultSchema is the schema that "<connection>.<table>" names
	// (public on PostgreSQL, the configured database on MySQL).
	DefaultSchema func(config json.RawMessage) string
	// Open validates config and returns a connector. secret is the
	// resolved value of the connection's secret ("" when none). A config
	// that can never work returns an error wrapping ErrInvalidConfig;
	// Open must not contact the source. Every connection the connector
	// makes goes through env.Dial.
	Open func(ctx context.Context, config json.RawMessage, secret string, env Env) (Connector, error)
	// Endpoint returns the host:port a valid config connects to, with
	// the host in lower case and the default port filled in ("" for a
	// source that is not on the network). Nil: none.
	Endpoint func(config json.RawMessage) (string, error)
	// SecretBinding says where, and how, a valid config sends the
	// connection's secret: its endpoints and the transport settings that
	// protect it (TLS or not, clear-text passwords allowed). A member
	// may use an existing secret only with a config of the same type and
	// the same binding as a connection already using it. Nil: Endpoint.
	SecretBinding func(config json.RawMessage) (string, error)
}

// BindingOf is t's SecretBinding of config (its Endpoint when the type
// has none).
func BindingOf(t Type, config json.RawMessage) (string, error) {
	if t.SecretBinding != nil {
		return t.SecretBinding(config)
	}
	if t.Endpoint != nil {
		return t.Endpoint(config)
	}
	return "", nil
}

// DialFunc connects to addr (host:port) on network.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// Env is what the server gives every connector it opens.
type Env struct {
	// Dial makes every network connection of the connector (nil: a
	// plain net.Dialer). The server's enforces its egress policy.
	Dial DialFunc
}

// ErrInvalidConfig marks a configuration that is unusable as given.
var ErrInvalidConfig = errors.New("invalid connection config")

// InvalidConfig returns an error wrapping ErrInvalidConfig.
func InvalidConfig(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidConfig, fmt.Sprintf(format, args...))
}

// Registry holds the known source types. It is built at start-up and read
// only afterwards.
type Registry struct {
	types map[string]Type
}

// NewRegistry returns a registry of the given types.
func NewRegistry(types ...Type) *Registry {
	r := &Registry{types: map[string]Type{}}
	for _, t := range types {
		r.types[t.Name] = t
	}
	return r
}

// Get returns a type by name.
func (r *Registry) Get(name string) (Type, bool) {
	t, ok := r.types[name]
	return t, ok
}

// Types returns every type by name.
func (r *Registry) Types() []Type {
	out := make([]Type, 0, len(r.types))
	for _, t := range r.types {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Health tests a connector and measures how long the test took.
func Health(ctx context.Context, c Connector) (time.Duration, error) {
	start := time.Now()
	err := c.Test(ctx)
	return time.Since(start), err
}

// ValueText renders a predicate value as text a SQL database parses as a
// literal of the column's type (timestamps in UTC as 2006-01-02 15:04:05.999999+00:00).
func ValueText(v any) (string, error) {
	switch v := v.(type) {
	case int64:
		return strconv.FormatInt(v, 10), nil
	case int:
		return strconv.Itoa(v), nil
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), nil
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case time.Time:
		return v.UTC().Format("2006-01-02 15:04:05.999999-07:00"), nil
	}
	return "", fmt.Errorf("unsupported filter value %T", v)
}

// ErrNotParted: the table is read whole (too small to split, a source
// version without range scans, a filtered read, …); the caller uses Scan.
var ErrNotParted = errors.New("the table is not read in parts")

// PartScanner is implemented by sources that can read a large table as
// parts that make one consistent snapshot, read in parallel and each
// kept as it completes: a read that dies part way resumes from the
// parts it kept, if they are still what the table holds.
type PartScanner interface {
	// ScanParts opens a read of the table in parts, all as of one
	// snapshot (req.Snapshot's when set). It returns ErrNotParted when
	// the table is better read whole.
	ScanParts(ctx context.Context, req ScanRequest) (Parts, error)
}

// Parts is an open read of a table in parts.
type Parts interface {
	// Schema is the fields every part's scan has; Warnings are what a
	// Scan's would be.
	Schema() *arrow.Schema
	Warnings() []string
	// List names the parts in order. A part's name stands for the same
	// rows in a later read.
	List() []string
	// Identity says what the prints do not cover (the table's file, its
	// columns as stored, …): parts are kept only by a read of the same
	// identity.
	Identity() string
	// Prints returns the named parts' prints as of the read's snapshot.
	// A part's print changes whenever any of its rows changed (or moved):
	// a part kept from an earlier read whose print is the same holds what
	// this read's would.
	Prints(ctx context.Context, parts []string) (map[string]string, error)
	// Reader returns a reader of parts. Reader 0 is the read's own
	// connection and is always there; the others are opened, waiting for
	// a free connection at most wait (ErrNoReader when none came).
	Reader(ctx context.Context, i int, wait time.Duration) (PartReader, error)
	// Close ends the read (its snapshot); close the readers first.
	Close() error
}

// PartSnapshotter is implemented by change streams (Stream) that can
// make a tracked table's first read in parts: SnapshotParts is
// SnapshotScan as a PartScanner's read.
type PartSnapshotter interface {
	SnapshotParts(ctx context.Context, req ScanRequest) (Parts, string, error)
}

// ErrNoReader: no connection was free for another reader of parts.
var ErrNoReader = errors.New("no connection free for another reader")

// PartReader reads runs of parts, one run at a time.
type PartReader interface {
	// Scan reads a run of parts, consecutive in List's order, in order;
	// release it before the next Scan.
	Scan(ctx context.Context, parts []string) (PartScan, error)
	Close()
}

// PartScan is the scan of a run of parts. Each batch holds rows of one
// part; a part without rows has no batch.
type PartScan interface {
	Scan
	// Part names the part of the current batch.
	Part() string
	// Print is a part's print (see Parts.Prints) once the scan has moved
	// past it or ended.
	Print(part string) string
}

// MeteredScan is implemented by scans of sources that bill by the bytes
// a query reads (warehouses): the sync reports the figure with its job.
type MeteredScan interface {
	// BytesScanned is what the source says the scan read (or billed),
	// -1 when it did not say.
	BytesScanned() int64
}

// ErrTooCostly marks a scan refused before it ran because the source
// estimated it would read more than the connection's max_bytes_per_sync.
var ErrTooCostly = errors.New("the scan would read more than max_bytes_per_sync")
