package wire

import (
	"context"
	"net"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/internal/scram"
)

// Handler is what the server needs from the application.
type Handler interface {
	// Credentials returns the SCRAM salt and iteration count shared by
	// every credential, and the candidate verifiers a client may hold.
	// The client's proof is checked against each candidate.
	Credentials(ctx context.Context) (Credentials, error)
	// Open starts a session for an authenticated client. It returns a
	// *pgerr.Error (for example 3D000 for an unknown database) to refuse.
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
}

// Session runs one connection's statements. The server calls its methods
// from one goroutine at a time.
type Session interface {
	// SimpleQuery runs the statements of one Query message, writing each
	// one's results to w. It stops at the first error and returns it.
	SimpleQuery(ctx context.Context, sql string, w ResultWriter) error
	// TxStatus is the transaction status for ReadyForQuery:
	// 'I' idle, 'T' in a transaction, 'E' in a failed transaction.
	TxStatus() byte
	// Close ends the session.
	Close() error
}

// ResultWriter receives one statement's results.
type ResultWriter interface {
	// Describe announces the columns of the rows that follow.
	Describe(schema *arrow.Schema) error
	// Write sends the rows of one batch. The batch may be released when
	// Write returns: the writer copies what it needs.
	Write(rec arrow.RecordBatch) error
	// Complete ends a statement with its command tag, e.g. "SELECT 3".
	Complete(tag string) error
	// EmptyQuery reports a statement with nothing in it.
	EmptyQuery() error
	// Notice sends a NoticeResponse (Severity NOTICE unless set).
	Notice(n *pgerr.Error) error
	// ParameterStatus reports a changed run-time parameter.
	ParameterStatus(name, value string) error
}
