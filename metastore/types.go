package metastore

import (
	"encoding/json"
	"time"
)

// Role decides what a member may do in its organization.
type Role string

// Roles, weakest first.
const (
	RoleViewer Role = "viewer"
	RoleMember Role = "member"
	RoleAdmin  Role = "admin"
	RoleOwner  Role = "owner"
)

// Rank orders roles: a role may do everything a lower-ranked role may.
// An unknown role ranks below viewer.
func (r Role) Rank() int {
	switch r {
	case RoleViewer:
		return 1
	case RoleMember:
		return 2
	case RoleAdmin:
		return 3
	case RoleOwner:
		return 4
	}
	return 0
}

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool { return r.Rank() > 0 }

// Organization owns members and workspaces.
type Organization struct {
	ID        string
	Name      string
	CreatedAt time.Time
}

// Member is a person or automation in an organization.
type Member struct {
	ID        string
	OrgID     string
	Name      string
	Email     string
	Role      Role
	CreatedAt time.Time
}

// Workspace statuses.
const (
	WorkspaceActive    = "active"
	WorkspaceSuspended = "suspended"
	WorkspaceDeleting  = "deleting"
)

// Limits bound what a workspace may use. Zero values mean "the server's default".
type Limits struct {
	MemoryBytes          int64 `json:"memory_bytes,omitempty"`
	Threads              int   `json:"threads,omitempty"`
	CacheBytes           int64 `json:"cache_bytes,omitempty"`
	MaxConcurrentQueries int   `json:"max_concurrent_queries,omitempty"`
	MaxSessions          int   `json:"max_sessions,omitempty"`
}

// Workspace is one team's data endpoint.
type Workspace struct {
	ID         string
	OrgID      string
	Name       string
	Status     string
	AutoResume bool
	Limits     Limits
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Token is an API token's record. The token text itself is never stored:
// Hash is its SHA-256, and SCRAM holds the SCRAM-SHA-256 keys derived from
// it with the install-wide salt (see SCRAMParams).
type Token struct {
	ID       string
	MemberID string
	// WorkspaceID, when set, limits the token to that workspace.
	WorkspaceID string
	Name        string
	// Prefix is the first characters of the token, shown in listings so a
	// user can tell tokens apart.
	Prefix     string
	Hash       []byte
	SCRAM      SCRAMKeys
	CreatedAt  time.Time
	LastUsedAt *time.Time
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
}

// SCRAMKeys is the verifier of one credential (RFC 5802 section 3).
type SCRAMKeys struct {
	StoredKey []byte
	ServerKey []byte
}

// SCRAMParams are the salt and iteration count shared by every token's
// verifier. They are shared because a pgwire client presents only the token
// (as its password), so the server must send the salt before it knows which
// token it is talking to; tokens are 256-bit random strings, so a shared
// salt gives away nothing a per-token salt would protect.
type SCRAMParams struct {
	Salt       []byte
	Iterations int
}

// Principal is an authenticated token with its member and organization.
type Principal struct {
	Token  Token
	Member Member
}

// Secret is a stored secret's metadata; its value is only reachable
// through Store.SecretValue.
type Secret struct {
	ID          string
	WorkspaceID string
	Name        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Discovery statuses of a connection.
const (
	DiscoveryPending   = "pending"
	DiscoverySucceeded = "succeeded"
	DiscoveryFailed    = "failed"
	DiscoverySkipped   = "skipped"
)

// Connection is a registered upstream source.
type Connection struct {
	ID          string
	WorkspaceID string
	Name        string
	SourceType  string
	// Config is the source's JSON configuration without secret values.
	Config          json.RawMessage
	SecretID        string
	DiscoveryStatus string
	DiscoveryError  string
	DiscoveredAt    *time.Time
	CreatedAt       time.Time
	// UpdatedAt changes with the connection's config, discovery, and the
	// value of its secret: a connector opened earlier is out of date.
	UpdatedAt time.Time
	// MissingSecret names the secret the connection used when that secret
	// was deleted (SecretID is then ""); "" otherwise.
	MissingSecret string
}

// Column is one column of a discovered table or a snapshot.
type Column struct {
	Name string `json:"name"`
	// DataType is the upstream's type name as the user knows it
	// (for example "numeric(12,2)" or "timestamp with time zone").
	DataType string `json:"data_type"`
	Nullable bool   `json:"nullable"`
	// TypeOID is the upstream's type OID where it has one (PostgreSQL).
	TypeOID uint32 `json:"type_oid,omitempty"`
	// Text is set on a snapshot's column that holds the upstream's text
	// output of its values instead of their native form: a numeric(p,s)
	// with NaN or Infinity, served from that text, or a column the cache
	// cannot serve (Unavailable).
	Text bool `json:"text,omitempty"`
	// Unavailable, on a snapshot's column, says why the cache cannot
	// serve it (values it cannot hold exactly, such as two-dimensional
	// arrays): a query that reads it is refused with the reason.
	Unavailable string `json:"unavailable,omitempty"`
}

// UserType is one of an upstream's own types that a table's columns
// have (see connectors.UserType): an enum with its labels, a domain with
// its base type, a composite type with its fields.
type UserType struct {
	OID      uint32 `json:"oid"`
	ArrayOID uint32 `json:"array_oid,omitempty"`
	Schema   string `json:"schema"`
	Name     string `json:"name"`
	// Kind is typtype: "e" enum, "d" domain, "c" composite.
	Kind   string `json:"kind"`
	Typlen int16  `json:"typlen"`
	// Labels are an enum's labels in their sort order.
	Labels     []string `json:"labels,omitempty"`
	BaseOID    uint32   `json:"base_oid,omitempty"`
	BaseTypmod int32    `json:"base_typmod,omitempty"`
	BaseType   string   `json:"base_type,omitempty"`
	NotNull    bool     `json:"not_null,omitempty"`
	Checks     []string `json:"checks,omitempty"`
	Fields     []Column `json:"fields,omitempty"`
}

// Index is an index of an upstream table other than its primary key's
// (see connectors.Index).
type Index struct {
	Name   string `json:"name"`
	Method string `json:"method"`
	Unique bool   `json:"unique,omitempty"`
	// Constraint is true when the index backs a UNIQUE constraint.
	Constraint bool          `json:"constraint,omitempty"`
	Columns    []IndexColumn `json:"columns"`
	// KeyColumns counts the key columns among Columns (the rest are
	// INCLUDE columns).
	KeyColumns int `json:"key_columns"`
	// Definition is the index from USING on, as the upstream printed it
	// ("btree (customer_id, ordered_at DESC)"); "" to derive it.
	Definition       string `json:"definition,omitempty"`
	PrettyDefinition string `json:"pretty_definition,omitempty"`
	Predicate        string `json:"predicate,omitempty"`
	PrettyPredicate  string `json:"pretty_predicate,omitempty"`
}

// IndexColumn is one column or expression of an Index: Name is the
// column's name in the index, Expression an expression key ("" for a
// table column).
type IndexColumn struct {
	Name       string `json:"name,omitempty"`
	Expression string `json:"expression,omitempty"`
	Descending bool   `json:"descending,omitempty"`
	NullsFirst bool   `json:"nulls_first,omitempty"`
	TypeOID    uint32 `json:"type_oid,omitempty"`
}

// ForeignKey is a foreign key of an upstream table; it references a
// table of the same connection (see connectors.ForeignKey).
type ForeignKey struct {
	Name             string   `json:"name"`
	Columns          []string `json:"columns"`
	RefSchema        string   `json:"ref_schema"`
	RefTable         string   `json:"ref_table"`
	RefColumns       []string `json:"ref_columns"`
	OnUpdate         string   `json:"on_update"`
	OnDelete         string   `json:"on_delete"`
	DeleteSetColumns []string `json:"delete_set_columns,omitempty"`
	Match            string   `json:"match"`
	Deferrable       bool     `json:"deferrable,omitempty"`
	Deferred         bool     `json:"deferred,omitempty"`
	NotValid         bool     `json:"not_valid,omitempty"`
}

// Table statuses.
const (
	TablePresent  = "present"
	TableVanished = "vanished"
)

// Table is a table discovered in a connection, with its cache policy and
// the snapshot currently served.
type Table struct {
	ID           string
	WorkspaceID  string
	ConnectionID string
	// ConnectionName is filled in by the methods that read tables.
	ConnectionName string
	Schema         string
	Name           string
	Columns        []Column
	PrimaryKey     []string
	// PrimaryKeyName is the primary key constraint's name upstream ("":
	// none of its own; the catalog calls it <table>_pkey).
	PrimaryKeyName string
	Indexes        []Index
	ForeignKeys    []ForeignKey
	// UserTypes are the upstream's own types the columns have.
	UserTypes         []UserType
	RowEstimate       int64
	Refresh           string
	IncrementalColumn string
	// IncrementalLookback is how far below the watermark an incremental
	// sync reads again, for rows committed late ("" none): a duration
	// for date and time columns, a number for numeric ones.
	IncrementalLookback string
	// DetectDeletes: each incremental sync also compares the upstream's
	// keys with the cached ones and removes the rows gone upstream.
	DetectDeletes     bool
	Status            string
	CurrentSnapshotID string
	LastSyncAt        *time.Time
	DiscoveredAt      time.Time
	// LastReadAt is when a query last read the table (approximately:
	// reads are recorded in batches).
	LastReadAt *time.Time
}

// Snapshot statuses.
const (
	SnapshotPublished = "published"
	SnapshotRetired   = "retired"
	SnapshotDeleted   = "deleted"
)

// Snapshot is one immutable version of a cached table or dataset.
type Snapshot struct {
	ID          string
	WorkspaceID string
	TableID     string
	DatasetID   string
	Version     int64
	// Path is relative to the workspace folder.
	Path      string
	RowCount  int64
	SizeBytes int64
	Columns   []Column
	Status    string
	// Watermark is the greatest value of the incremental column it holds.
	Watermark string
	CreatedAt time.Time
	RetiredAt *time.Time
}

// Dataset is a queryable table made from an upload, inline data or a query.
type Dataset struct {
	ID                string
	WorkspaceID       string
	Label             string
	TableName         string
	Status            string
	Source            json.RawMessage
	CurrentSnapshotID string
	Error             string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Query run and result statuses.
const (
	StatusPending   = "pending"
	StatusRunning   = "running"
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
	StatusCanceled  = "canceled"
)

// QueryRun is one statement run against a workspace, from either front end.
type QueryRun struct {
	ID              string
	WorkspaceID     string
	MemberID        string
	UserName        string
	Source          string // "rest" or "pgwire"
	Status          string
	SQLText         string
	SQLHash         string
	SnapshotIDs     []string
	ResultID        string
	RowCount        int64
	ExecutionTimeMs int64
	ErrorMessage    string
	CreatedAt       time.Time
	CompletedAt     *time.Time
}

// Result is a stored query result.
type Result struct {
	ID           string
	WorkspaceID  string
	QueryRunID   string
	Status       string
	Path         string
	Columns      []Column
	RowCount     int64
	SizeBytes    int64
	ErrorMessage string
	CreatedAt    time.Time
	ExpiresAt    *time.Time
}

// Job statuses (besides the shared Status* values).
const (
	JobInterrupted = "interrupted"
)

// Job is background work with progress.
type Job struct {
	ID               string
	WorkspaceID      string
	Type             string
	Status           string
	Target           json.RawMessage
	ProgressRows     int64
	ProgressBytes    int64
	ProgressFraction *float64
	Error            string
	// Warnings are what a succeeded job noticed (a sync read whole
	// because columns changed upstream, columns held as text, …).
	Warnings    []string
	Node        string
	CreatedAt   time.Time
	StartedAt   *time.Time
	CompletedAt *time.Time
}

// Upload is a file a client posted, kept under the workspace's uploads
// folder until its workspace is deleted.
type Upload struct {
	ID          string
	WorkspaceID string
	Status      string // "uploaded"
	SizeBytes   int64
	ContentType string
	Filename    string
	SHA256      string // hex
	// Path is relative to the workspace folder.
	Path      string
	CreatedAt time.Time
}

// SavedQuery is a named SQL statement; every edit makes a new version.
type SavedQuery struct {
	ID          string
	WorkspaceID string
	Name        string
	Description string
	SQL         string
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// SavedQueryVersion is one version of a saved query.
type SavedQueryVersion struct {
	QueryID     string
	Version     int64
	Name        string
	Description string
	SQL         string
	CreatedAt   time.Time
}

// Dataset statuses.
const (
	DatasetLoading = "loading"
	DatasetReady   = "ready"
	DatasetFailed  = "failed"
)
