package wire

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// Message size limits mirror PostgreSQL's (src/include/libpq/libpq.h):
// PQ_LARGE_MESSAGE_LIMIT for messages that carry SQL or data, and
// PQ_SMALL_MESSAGE_LIMIT for the others (see SocketBackend in
// src/backend/tcop/postgres.c).
const (
	largeMessageLimit = 1<<30 - 1
	smallMessageLimit = 10000
	// authMessageLimit mirrors PG_MAX_AUTH_TOKEN_LENGTH: password and
	// SASL messages are small, and arrive before the client is known.
	authMessageLimit = 65535
	// growChunk bounds what one read allocates ahead of the data that
	// actually arrived, so a declared length alone costs no memory.
	growChunk = 1 << 20
)

// messageLimit returns the largest body a message type may have after
// authentication.
func messageLimit(typ byte) int {
	switch typ {
	case 'Q', 'P', 'B', 'F', 'd':
		return largeMessageLimit
	}
	return smallMessageLimit
}

// reader frames and decodes frontend messages. Decoded messages, and the
// byte slices in them, are valid until the next call.
type reader struct {
	r   *bufio.Reader
	buf []byte
	// maxStatement bounds the body of Query and Parse messages (0: the
	// large message limit); a longer one is skipped, not read into memory.
	maxStatement int

	bind      pgproto3.Bind
	close     pgproto3.Close
	describe  pgproto3.Describe
	execute   pgproto3.Execute
	flush     pgproto3.Flush
	parse     pgproto3.Parse
	query     pgproto3.Query
	sync      pgproto3.Sync
	terminate pgproto3.Terminate
	copyData  pgproto3.CopyData
	copyDone  pgproto3.CopyDone
	copyFail  pgproto3.CopyFail
	funcCall  pgproto3.FunctionCall
}

func newReader(r io.Reader) *reader {
	return &reader{r: bufio.NewReaderSize(r, 8192)}
}

// next reads one message: its type and body (valid until the next call).
// limit bounds the body by type.
func (rd *reader) next(limit func(byte) int) (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(rd.r, hdr[:]); err != nil {
		return 0, nil, err
	}
	typ := hdr[0]
	n := int(int32(binary.BigEndian.Uint32(hdr[1:])))
	if n < 4 {
		return 0, nil, pgerr.New(pgerr.ProtocolViolation, "invalid message length %d", n)
	}
	n -= 4
	max := limit(typ)
	if max < 0 {
		return 0, nil, pgerr.New(pgerr.ProtocolViolation, "unexpected message type %q", typ)
	}
	if n > max {
		return 0, nil, pgerr.New(pgerr.ProtocolViolation, "invalid message length %d for message type %q", n, typ)
	}
	if (typ == 'Q' || typ == 'P') && rd.maxStatement > 0 && n > rd.maxStatement {
		// The framing is intact: skip the body and let the session go
		// on, as after any failed statement.
		if _, err := io.CopyN(io.Discard, rd.r, int64(n)); err != nil {
			return 0, nil, translateEOF(err)
		}
		return typ, nil, &statementTooLong{typ: typ, size: n, limit: rd.maxStatement}
	}
	body, err := rd.readBody(n)
	if err != nil {
		return 0, nil, err
	}
	if cap(rd.buf) > 1<<20 && n < 1<<16 {
		// Do not keep a huge buffer after one big message.
		rd.buf = nil
	}
	return typ, body, nil
}

// readBody reads n bytes into the reused buffer, growing it as data
// arrives rather than by the declared length at once.
func (rd *reader) readBody(n int) ([]byte, error) {
	if n <= cap(rd.buf) || n <= growChunk {
		if cap(rd.buf) < n {
			rd.buf = make([]byte, n)
		}
		body := rd.buf[:n]
		_, err := io.ReadFull(rd.r, body)
		return body, translateEOF(err)
	}
	buf := rd.buf[:0]
	for len(buf) < n {
		step := min(n-len(buf), max(len(buf), growChunk))
		buf = slices.Grow(buf, step)
		chunk := buf[len(buf) : len(buf)+step]
		if _, err := io.ReadFull(rd.r, chunk); err != nil {
			return nil, translateEOF(err)
		}
		buf = buf[:len(buf)+step]
	}
	rd.buf = buf
	return buf, nil
}

// statementTooLong is a Query or Parse message past the statement size
// limit, whose body was skipped.
type statementTooLong struct {
	typ         byte
	size, limit int
}

func (e *statementTooLong) Error() string { return "statement too long" }

// pgError is what the client is told: PostgreSQL's program_limit_exceeded.
func (e *statementTooLong) pgError() *pgerr.Error {
	return pgerr.New(pgerr.ProgramLimitExceeded, "statement is too long: %d bytes, the limit is %d bytes", e.size, e.limit).
		WithHint("Send shorter statements: pass long lists as parameters or load the data as a table. The limit is the server's max statement size (HOTDATA_MAX_STATEMENT_BYTES).")
}

// translateEOF: a message cut short is an unexpected EOF.
func translateEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// receive reads and decodes one message of the normal (post-startup)
// phase.
func (rd *reader) receive() (pgproto3.FrontendMessage, error) {
	typ, body, err := rd.next(messageLimit)
	if err != nil {
		return nil, err
	}
	return rd.decode(typ, body)
}

// decode turns a body into its message; an unknown type or a malformed
// body is a protocol violation.
func (rd *reader) decode(typ byte, body []byte) (pgproto3.FrontendMessage, error) {
	var msg pgproto3.FrontendMessage
	switch typ {
	case 'B':
		msg = &rd.bind
	case 'C':
		msg = &rd.close
	case 'D':
		msg = &rd.describe
	case 'E':
		msg = &rd.execute
	case 'H':
		msg = &rd.flush
	case 'P':
		msg = &rd.parse
	case 'Q':
		msg = &rd.query
	case 'S':
		msg = &rd.sync
	case 'X':
		msg = &rd.terminate
	case 'd':
		msg = &rd.copyData
	case 'c':
		msg = &rd.copyDone
	case 'f':
		msg = &rd.copyFail
	case 'F':
		msg = &rd.funcCall
	default:
		return nil, pgerr.New(pgerr.ProtocolViolation, "invalid frontend message type %d", typ)
	}
	if err := msg.Decode(body); err != nil {
		// Not Wrap: the decoder's io.EOF must not read as a disconnect.
		return nil, pgerr.New(pgerr.ProtocolViolation, "invalid %s message: %v", messageName(typ), err)
	}
	if want := encodedLen(msg); want >= 0 && want != len(body) {
		return nil, pgerr.New(pgerr.ProtocolViolation, "invalid %s message format: %d bytes after its fields", messageName(typ), len(body)-want)
	}
	return msg, nil
}

// encodedLen is the body length a decoded message accounts for, -1 when
// not checked; PostgreSQL rejects bytes past a message's fields.
func encodedLen(msg pgproto3.FrontendMessage) int {
	switch m := msg.(type) {
	case *pgproto3.Parse:
		return len(m.Name) + 1 + len(m.Query) + 1 + 2 + 4*len(m.ParameterOIDs)
	case *pgproto3.Bind:
		n := len(m.DestinationPortal) + 1 + len(m.PreparedStatement) + 1 + 2 + 2*len(m.ParameterFormatCodes) + 2
		for _, p := range m.Parameters {
			n += 4 + len(p)
		}
		return n + 2 + 2*len(m.ResultFormatCodes)
	case *pgproto3.Execute:
		return len(m.Portal) + 1 + 4
	case *pgproto3.Describe:
		return 1 + len(m.Name) + 1
	case *pgproto3.Close:
		return 1 + len(m.Name) + 1
	case *pgproto3.Query:
		return len(m.String) + 1
	case *pgproto3.CopyFail:
		return len(m.Message) + 1
	case *pgproto3.FunctionCall:
		n := 4 + 2 + 2*len(m.ArgFormatCodes) + 2
		for _, a := range m.Arguments {
			n += 4 + len(a)
		}
		return n + 2
	case *pgproto3.Sync, *pgproto3.Flush, *pgproto3.Terminate, *pgproto3.CopyDone:
		return 0
	case *pgproto3.SASLResponse:
		return len(m.Data)
	case *pgproto3.PasswordMessage:
		return len(m.Password) + 1
	}
	return -1
}

// receiveAuth reads a password, SASLInitialResponse or SASLResponse
// message ('p', told apart by the authentication step).
func (rd *reader) receiveAuth(kind uint32) (pgproto3.FrontendMessage, error) {
	// Like PostgreSQL, check the type before reading the body: only a
	// password response ('p') may come now.
	_, body, err := rd.next(func(typ byte) int {
		if typ != 'p' {
			return -1
		}
		return authMessageLimit
	})
	if err != nil {
		return nil, err
	}
	var msg pgproto3.FrontendMessage
	switch kind {
	case pgproto3.AuthTypeSASL:
		msg = &pgproto3.SASLInitialResponse{}
	case pgproto3.AuthTypeSASLContinue:
		msg = &pgproto3.SASLResponse{}
	default:
		msg = &pgproto3.PasswordMessage{}
	}
	if err := msg.Decode(body); err != nil {
		return nil, pgerr.New(pgerr.ProtocolViolation, "invalid authentication message: %v", err)
	}
	want := encodedLen(msg)
	if m, ok := msg.(*pgproto3.SASLInitialResponse); ok {
		// The data length is part of the message: it must match.
		want = len(m.AuthMechanism) + 1 + 4 + len(m.Data)
	}
	if want >= 0 && want != len(body) {
		return nil, pgerr.New(pgerr.ProtocolViolation, "invalid authentication message format")
	}
	return msg, nil
}

func messageName(typ byte) string {
	names := map[byte]string{'B': "Bind", 'C': "Close", 'D': "Describe", 'E': "Execute", 'H': "Flush", 'P': "Parse",
		'Q': "Query", 'S': "Sync", 'X': "Terminate", 'd': "CopyData", 'c': "CopyDone", 'f': "CopyFail", 'F': "FunctionCall"}
	if n, ok := names[typ]; ok {
		return n
	}
	return fmt.Sprintf("type %d", typ)
}
