package wire

import (
	"encoding/binary"
	"io"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// flushAt is the buffered size past which a long result is flushed in the
// middle of a round trip, so memory stays bounded however big the result.
const flushAt = 64 << 10

// writer appends backend messages to one buffer and writes it out once per
// round trip (or when it grows past flushAt). The first write error sticks.
type writer struct {
	w   io.Writer
	buf []byte
	err error
}

func newWriter(w io.Writer) *writer { return &writer{w: w, buf: make([]byte, 0, 8192)} }

// send encodes a pgproto3 message.
func (w *writer) send(msg pgproto3.BackendMessage) {
	if w.err != nil {
		return
	}
	buf, err := msg.Encode(w.buf)
	if err != nil {
		w.err = err
		return
	}
	w.buf = buf
}

// begin starts a message of type t and returns its start offset.
func (w *writer) begin(t byte) int {
	start := len(w.buf)
	w.buf = append(w.buf, t, 0, 0, 0, 0)
	return start
}

// end writes the length of the message started at start.
func (w *writer) end(start int) {
	binary.BigEndian.PutUint32(w.buf[start+1:], uint32(len(w.buf)-start-1))
}

func (w *writer) flush() error {
	if w.err != nil {
		return w.err
	}
	if len(w.buf) == 0 {
		return nil
	}
	_, w.err = w.w.Write(w.buf)
	w.buf = w.buf[:0]
	if cap(w.buf) > 1<<20 {
		// Do not keep a huge buffer alive after one big result.
		w.buf = make([]byte, 0, 8192)
	}
	return w.err
}

// maybeFlush flushes when the buffer is large.
func (w *writer) maybeFlush() error {
	if len(w.buf) >= flushAt {
		return w.flush()
	}
	return w.err
}

// errorFields is the one place an ErrorResponse or NoticeResponse is
// built from a *pgerr.Error.
func errorFields(e *pgerr.Error, severity string) pgproto3.ErrorResponse {
	if e.Severity != "" {
		severity = e.Severity
	}
	return pgproto3.ErrorResponse{
		Severity:            severity,
		SeverityUnlocalized: severity,
		Code:                e.Code,
		Message:             e.Message,
		Detail:              e.Detail,
		Hint:                e.Hint,
		Position:            int32(e.Position),
	}
}

func (w *writer) errorResponse(e *pgerr.Error, severity string) {
	f := errorFields(e, severity)
	w.send(&f)
}

func (w *writer) notice(e *pgerr.Error) {
	f := errorFields(e, pgerr.SeverityNotice)
	n := pgproto3.NoticeResponse(f)
	w.send(&n)
}
