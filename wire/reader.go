package wire

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

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
)

// messageLimit returns the largest body a message type may have.
func messageLimit(typ byte) int {
	switch typ {
	case 'Q', 'P', 'B', 'F', 'd', 'p':
		return largeMessageLimit
	}
	return smallMessageLimit
}

// reader frames and decodes frontend messages. Decoded messages, and the
// byte slices in them, are valid until the next call.
type reader struct {
	r   *bufio.Reader
	buf []byte

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
func (rd *reader) next() (byte, []byte, error) {
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
	if n > messageLimit(typ) {
		return 0, nil, pgerr.New(pgerr.ProtocolViolation, "invalid message length %d for message type %q", n, typ)
	}
	if cap(rd.buf) < n {
		rd.buf = make([]byte, n)
	}
	body := rd.buf[:n]
	if _, err := io.ReadFull(rd.r, body); err != nil {
		return 0, nil, err
	}
	if cap(rd.buf) > 1<<20 && n < 1<<16 {
		// Do not keep a huge buffer after one big message.
		rd.buf = nil
	}
	return typ, body, nil
}

// receive reads and decodes one message of the normal (post-startup)
// phase.
func (rd *reader) receive() (pgproto3.FrontendMessage, error) {
	typ, body, err := rd.next()
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
		return nil, pgerr.Wrap(err, pgerr.ProtocolViolation, "invalid %s message: %v", messageName(typ), err)
	}
	return msg, nil
}

// receiveAuth reads a password, SASLInitialResponse or SASLResponse
// message ('p', told apart by the authentication step).
func (rd *reader) receiveAuth(kind uint32) (pgproto3.FrontendMessage, error) {
	typ, body, err := rd.next()
	if err != nil {
		return nil, err
	}
	if typ != 'p' {
		return nil, pgerr.New(pgerr.ProtocolViolation, "expected password response, got message type %q", typ)
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
		return nil, pgerr.Wrap(err, pgerr.ProtocolViolation, "invalid authentication message: %v", err)
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
