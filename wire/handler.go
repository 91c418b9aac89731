package wire

import (
	"context"
	"net"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/internal/scram"
	"github.com/hotdata-dev/hotdata/pgval"
)

// Handler is what the server needs from the application.
type Handler interface {
	// Credentials returns the SCRAM salt and iteration count shared by
	// every credential, and the candidate verifiers a client connecting
	// as user to database may hold (looked up by index: not every
	// credential the server knows). The client's proof is checked
	// against each candidate.
	Credentials(ctx context.Context, user, database string) (Credentials, error)
	// CheckPassword identifies the credential of a cleartext password
	// (offered only over TLS, when enabled); "" when none matches.
	CheckPassword(ctx context.Context, password string) (string, error)
	// Open starts a session for an authenticated client. It returns a
	// *pgerr.Error (for example 3D000 for an unknown database, 53300 when
	// the workspace has too many sessions) to refuse.
	Open(ctx context.Context, info StartupInfo) (Session, error)
}

// Credentials are the candidates for one authentication.
type Credentials struct {
	Salt       []byte
	Iterations int
	Keys       []scram.Keys
	// IDs names each candidate; the matching one is StartupInfo.CredentialID.
	IDs []string
}

// StartupInfo describes an authenticated connection.
type StartupInfo struct {
	User         string
	Database     string
	CredentialID string
	// Params holds every start-up parameter the client sent.
	Params     map[string]string
	RemoteAddr net.Addr
	TLS        bool
	// PID is the process ID sent in BackendKeyData (pg_backend_pid()).
	PID uint32
}

// Session runs one connection's statements. The server calls its methods
// from one goroutine at a time, except Close, which comes last.
type Session interface {
	// SimpleQuery runs the statements of one Query message, writing each
	// one's results to w. It stops at the first error and returns it.
	SimpleQuery(ctx context.Context, sql string, w ResultWriter) error
	// Prepare parses one statement (Parse message). paramOIDs are the
	// client's parameter types, 0 where it left the choice to the server.
	Prepare(ctx context.Context, sql string, paramOIDs []uint32) (PreparedStatement, error)
	// TxStatus is the transaction status for ReadyForQuery:
	// 'I' idle, 'T' in a transaction, 'E' in a failed transaction.
	TxStatus() byte
	// Close ends the session.
	Close() error
}

// ResetHooks is implemented by sessions that run DEALLOCATE and DISCARD
// ALL: the server gives them functions that drop its prepared statements
// (one by name, or all for "") and, for DISCARD ALL, its portals too.
type ResetHooks interface {
	SetResetHooks(deallocate func(name string) bool, discardAll func())
}

// ParameterReporter is implemented by sessions whose reported run-time
// parameters (GUC_REPORT: DateStyle, TimeZone, …) change with SET,
// RESET, ROLLBACK or DISCARD ALL. As PostgreSQL does, the server sends a
// ParameterStatus for each one that changed before ReadyForQuery (only
// then, and only when the value differs from what the client was told).
type ParameterReporter interface {
	ReportedChanges() [][2]string
}

// TxFailer is implemented by sessions with transaction blocks: the
// server calls FailTx whenever it sends an ErrorResponse, since in
// PostgreSQL any error inside a block (a statement's, or one of Parse,
// Bind, Describe or Execute) fails the block until it ends.
type TxFailer interface {
	FailTx()
}

// CursorDescriber is implemented by sessions with SQL cursors (DECLARE):
// a Describe of a portal the protocol did not bind describes the cursor
// of that name, as the two share one namespace in PostgreSQL.
type CursorDescriber interface {
	DescribeCursor(name string) ([]pgproto3.FieldDescription, bool)
}

// PortalLookup finds a portal the protocol bound, with its described
// fields, by name.
type PortalLookup func(name string) (Portal, []pgproto3.FieldDescription, bool)

// PortalHooks is implemented by sessions that run FETCH and MOVE on the
// protocol's portals as on SQL cursors, as PostgreSQL does (asyncpg's
// cursors Bind a named portal, Execute it with a row limit and skip rows
// with MOVE FORWARD n portal_name).
type PortalHooks interface {
	SetPortalLookup(PortalLookup)
}

// Styler is implemented by sessions whose settings change how values
// print (TimeZone, DateStyle, IntervalStyle, extra_float_digits,
// bytea_output): values are written in the session's style.
type Styler interface {
	OutputStyle() pgval.Style
}

// outputStyle is the session's output style, PostgreSQL's defaults
// (TimeZone UTC) for sessions without settings.
func (c *conn) outputStyle() pgval.Style {
	if s, ok := c.sess.(Styler); ok {
		return s.OutputStyle()
	}
	return pgval.DefaultStyle
}

// NoticeFilter is implemented by sessions with a client_min_messages
// setting: a notice is sent only if SendsNotice says so for its
// severity (NOTICE, WARNING, …), as PostgreSQL filters them.
type NoticeFilter interface {
	SendsNotice(severity string) bool
}

// PreparedStatement is a parsed statement of the extended protocol.
type PreparedStatement interface {
	// ParamOIDs are the parameters' types, as ParameterDescription says.
	ParamOIDs() []uint32
	// Fields describes the result rows (formats are 0); nil means the
	// statement returns no rows (NoData).
	Fields() []pgproto3.FieldDescription
	// Bind makes a portal: params are the raw values (nil for NULL) in
	// paramFormats (expanded to one per parameter), resultFormats one
	// per result column.
	Bind(ctx context.Context, params [][]byte, paramFormats, resultFormats []int16) (Portal, error)
	// Close frees the statement.
	Close()
}

// Portal is a bound statement ready to run.
type Portal interface {
	// Execute runs or resumes the portal, writing at most maxRows rows (0:
	// all) to w. It reports whether rows remain (PortalSuspended); when
	// none remain it has called w.Complete.
	Execute(ctx context.Context, w ResultWriter, maxRows int) (suspended bool, err error)
	// Close frees the portal (and whatever result it holds open).
	Close()
}

// ResultWriter receives one statement's results.
//
// Rows come either as Arrow batches (Describe then Write), which the
// server encodes in the formats the client asked for, or as raw values
// already in those formats (DescribeFields then WriteRow), as a proxy
// passes rows through.
type ResultWriter interface {
	// Describe announces the columns of the Arrow batches that follow.
	Describe(schema *arrow.Schema) error
	// Write sends the rows of one batch. The batch may be released when
	// Write returns: the writer copies what it needs.
	Write(rec arrow.RecordBatch) error
	// DescribeFields announces raw rows with these descriptions.
	DescribeFields(fields []pgproto3.FieldDescription) error
	// WriteRow sends one raw row (nil values are NULL).
	WriteRow(values [][]byte) error
	// ResultFormats are the formats the client asked for, one per column
	// (empty: all text).
	ResultFormats() []int16
	// CopyOut switches to COPY TO STDOUT: the batches that follow are sent
	// as CopyData in the given format, and Complete ends the copy.
	CopyOut(format CopyFormat, header bool, schema *arrow.Schema) error
	// Complete ends a statement with its command tag, e.g. "SELECT 3".
	Complete(tag string) error
	// EmptyQuery reports a statement with nothing in it.
	EmptyQuery() error
	// Notice sends a NoticeResponse (Severity NOTICE unless set).
	Notice(n *pgerr.Error) error
	// ParameterStatus reports a changed run-time parameter.
	ParameterStatus(name, value string) error
}

// CopyFormat is a COPY TO STDOUT format.
type CopyFormat int

// COPY formats.
const (
	CopyText CopyFormat = iota
	CopyCSV
	CopyBinary
)

type noticeKey struct{}

// Notify sends a NoticeResponse to the client from inside Session.Prepare
// (for example the progress of a table synced on first use while the
// statement is described); outside Prepare it does nothing.
func Notify(ctx context.Context, n *pgerr.Error) error {
	if f, ok := ctx.Value(noticeKey{}).(func(*pgerr.Error) error); ok {
		return f(n)
	}
	return nil
}
