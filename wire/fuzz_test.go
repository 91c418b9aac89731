package wire

// Fuzz targets for the frontend side of the protocol: everything a client
// can put on the socket, from the start-up packet to the last message.
//
//	go test ./wire/ -run '^$' -fuzz '^FuzzConn$' -fuzztime 60s
//
// The seed corpus is checked in under testdata/fuzz/<target>/ and runs
// with every `go test ./wire/`. It is generated from fuzzSeeds below:
//
//	go test ./wire/ -run '^TestWriteFuzzCorpus$' -wire.update-fuzz-corpus
//
// By default the targets check what the server must never do: panic,
// hang, allocate past the message limits, misframe, answer with a
// malformed message, keep going after a FATAL, authenticate without the
// password. With -wire.fuzzstrict they also check that malformed input
// is refused the way PostgreSQL refuses it (FATAL 08P01 rather than a
// silent close, trailing bytes after a message's fields, out-of-range
// binary parameters); those checks fail on today's code.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/internal/scram"
)

var (
	fuzzStrict       = flag.Bool("wire.fuzzstrict", true, "fuzz targets also check PostgreSQL-exact refusal of malformed input")
	updateFuzzCorpus = flag.Bool("wire.update-fuzz-corpus", false, "rewrite the seed corpus under testdata/fuzz")
)

// fuzzTimeout bounds one connection of the whole-connection targets: the
// server must have answered and closed by then.
const fuzzTimeout = 10 * time.Second

// ---------------------------------------------------------------------
// Model of the client's byte stream.

// fuzzFrame is one message as the framing should cut it.
type fuzzFrame struct {
	typ  byte
	body []byte
}

// fuzzStreamEnd says how a message stream ends after its last whole frame.
type fuzzStreamEnd int

const (
	fuzzEndClean     fuzzStreamEnd = iota // no byte left
	fuzzEndTruncated                      // a partial header or body
	fuzzEndBadLength                      // a length below 4 or past the type's limit
)

// fuzzSplitFrames cuts a stream as reader.next must: 1 type byte, a 4-byte
// length that counts itself, then the body.
func fuzzSplitFrames(data []byte) ([]fuzzFrame, fuzzStreamEnd) {
	return fuzzSplitFramesLimit(data, messageLimit)
}

// fuzzSplitFramesLimit splits with a given per-type body limit.
func fuzzSplitFramesLimit(data []byte, limit func(byte) int) ([]fuzzFrame, fuzzStreamEnd) {
	var frames []fuzzFrame
	for {
		if len(data) == 0 {
			return frames, fuzzEndClean
		}
		if len(data) < 5 {
			return frames, fuzzEndTruncated
		}
		n := int64(int32(binary.BigEndian.Uint32(data[1:5])))
		if n < 4 || n-4 > int64(limit(data[0])) {
			return frames, fuzzEndBadLength
		}
		if int64(len(data)-5) < n-4 {
			return frames, fuzzEndTruncated
		}
		frames = append(frames, fuzzFrame{typ: data[0], body: data[5 : 5+n-4]})
		data = data[5+n-4:]
	}
}

// fuzzHugeTruncatedFrame reports a frame that declares a body of more than
// 1 MiB (fuzzWithin its type's limit) that the input does not hold.
// reader.next allocates the declared size before reading it (up to 1 GiB,
// by design), which would make the fuzzer crawl; such inputs are skipped.
func fuzzHugeTruncatedFrame(data []byte) bool {
	for len(data) >= 5 {
		n := int64(int32(binary.BigEndian.Uint32(data[1:5]))) - 4
		if n < 0 || n > int64(messageLimit(data[0])) {
			return false
		}
		if n > int64(len(data)-5) {
			return n > 1<<20
		}
		data = data[5+n:]
	}
	return false
}

// fuzzNewFrontendMessage returns a fresh message for a type byte of the
// normal phase, or nil when the type is not one.
func fuzzNewFrontendMessage(typ byte) pgproto3.FrontendMessage {
	switch typ {
	case 'B':
		return &pgproto3.Bind{}
	case 'C':
		return &pgproto3.Close{}
	case 'D':
		return &pgproto3.Describe{}
	case 'E':
		return &pgproto3.Execute{}
	case 'H':
		return &pgproto3.Flush{}
	case 'P':
		return &pgproto3.Parse{}
	case 'Q':
		return &pgproto3.Query{}
	case 'S':
		return &pgproto3.Sync{}
	case 'X':
		return &pgproto3.Terminate{}
	case 'd':
		return &pgproto3.CopyData{}
	case 'c':
		return &pgproto3.CopyDone{}
	case 'f':
		return &pgproto3.CopyFail{}
	case 'F':
		return &pgproto3.FunctionCall{}
	}
	return nil
}

// fuzzSameMsg compares two decoded messages; a nil and an empty slice
// are the same.
func fuzzSameMsg(a, b pgproto3.FrontendMessage) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	ea, erra := a.Encode(nil)
	eb, errb := b.Encode(nil)
	return erra == nil && errb == nil && reflect.TypeOf(a) == reflect.TypeOf(b) && bytes.Equal(ea, eb)
}

func fuzzIsProtocolViolation(err error) bool {
	e := pgerr.As(err)
	return e != nil && e.Code == pgerr.ProtocolViolation
}

// fuzzIsPlainEOF: the stream ended; not a protocol error.
func fuzzIsPlainEOF(err error) bool {
	return pgerr.As(err) == nil && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF))
}

// ---------------------------------------------------------------------
// 1. Start-up packets.

func FuzzStartupPacket(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		rest := data
		for range 16 {
			code, body, err := readStartupPacket(r)
			if err != nil {
				switch {
				case len(rest) < 4:
					if !fuzzIsPlainEOF(err) {
						t.Fatalf("short header: %v, want EOF", err)
					}
				case !fuzzValidStartupLen(rest):
					if !fuzzIsProtocolViolation(err) {
						t.Fatalf("length %d: %v, want 08P01", int32(binary.BigEndian.Uint32(rest)), err)
					}
				default:
					if !fuzzIsPlainEOF(err) {
						t.Fatalf("truncated packet: %v, want EOF", err)
					}
				}
				return
			}
			if len(rest) < 8 || !fuzzValidStartupLen(rest) {
				t.Fatalf("accepted a packet with length %x", rest[:min(4, len(rest))])
			}
			n := int(binary.BigEndian.Uint32(rest))
			if n > len(rest) {
				t.Fatalf("packet of %d bytes from %d", n, len(rest))
			}
			if code != binary.BigEndian.Uint32(rest[4:]) || !bytes.Equal(body, rest[8:n]) {
				t.Fatalf("packet misread: code %d body %q from %q", code, body, rest[:n])
			}
			rest = rest[n:]
			fuzzCheckStartupParams(t, body)
		}
	})
}

func fuzzValidStartupLen(b []byte) bool {
	n := int32(binary.BigEndian.Uint32(b))
	return n >= 8 && n <= maxStartupPacketLen
}

// fuzzCheckStartupParams compares parseStartupParams with a reference parse:
// pairs of non-empty name and value, both NUL-terminated, then one NUL
// as the packet's last byte.
func fuzzCheckStartupParams(t *testing.T, body []byte) {
	t.Helper()
	got, err := parseStartupParams(body)
	var want map[string]string
	if len(body) > 0 && body[len(body)-1] == 0 {
		inner := body[:len(body)-1]
		want = map[string]string{}
		if len(inner) > 0 {
			if inner[len(inner)-1] != 0 {
				want = nil
			} else {
				parts := bytes.Split(inner[:len(inner)-1], []byte{0})
				if len(parts)%2 != 0 {
					want = nil
				}
				for i := 0; want != nil && i < len(parts); i += 2 {
					if len(parts[i]) == 0 {
						want = nil
						break
					}
					want[string(parts[i])] = string(parts[i+1])
				}
			}
		}
	}
	if want == nil {
		if err == nil {
			t.Fatalf("parseStartupParams(%q) = %q, want an error", body, got)
		}
		return
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("parseStartupParams(%q) = %q, %v; want %q", body, got, err, want)
	}
}

// ---------------------------------------------------------------------
// 2. Message decoding and framing.

// FuzzDecode decodes body as message type typ with a reader whose message
// structs already hold prev (the reader reuses them), and checks the
// result against a fresh decode and an encode/decode round trip.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, typ byte, body, prev []byte) {
		if body == nil {
			body = []byte{}
		}
		rd := &reader{}
		_, _ = rd.decode(typ, prev)
		got, err := rd.decode(typ, body)
		want := fuzzNewFrontendMessage(typ)
		if want == nil {
			if err == nil || !fuzzIsProtocolViolation(err) || got != nil {
				t.Fatalf("type %q: %v, %v; want 08P01", typ, got, err)
			}
			return
		}
		werr := fuzzStrictDecode(want, typ, body)
		if (err == nil) != (werr == nil) {
			t.Fatalf("type %q body %q: error %v, reference error %v", typ, body, err, werr)
		}
		if err != nil {
			if !fuzzIsProtocolViolation(err) || got != nil {
				t.Fatalf("type %q body %q: %v, want 08P01", typ, body, err)
			}
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("type %q body %q after %q: %+v, fresh decode %+v", typ, body, prev, got, want)
		}
		encoded, err := got.Encode(nil)
		if err != nil {
			t.Fatalf("type %q: decoded %+v does not encode: %v", typ, got, err)
		}
		if encoded[0] != typ || int(binary.BigEndian.Uint32(encoded[1:])) != len(encoded)-1 {
			t.Fatalf("type %q: encoded as %q", typ, encoded)
		}
		again := fuzzNewFrontendMessage(typ)
		if err := again.Decode(encoded[5:]); err != nil || !reflect.DeepEqual(again, want) {
			t.Fatalf("type %q round trip: %+v, %v; want %+v", typ, again, err, want)
		}
		if *fuzzStrict && !bytes.Equal(encoded[5:], body) {
			t.Fatalf("type %q: accepted %q, which holds more than the message (%q); PostgreSQL says 08P01 invalid message format", typ, body, encoded[5:])
		}
	})
}

// FuzzReader reads a whole stream of messages with reader.receive.
func FuzzReader(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if fuzzHugeTruncatedFrame(data) {
			return // declares a huge body it does not hold: nothing to check
		}
		frames, end := fuzzSplitFrames(data)
		rd := newReader(bytes.NewReader(data))
		for i := 0; ; i++ {
			before := cap(rd.buf)
			msg, err := rd.receive()
			if cap(rd.buf) > max(before, messageLimit('Q')) {
				t.Fatalf("buffer of %d bytes", cap(rd.buf))
			}
			if i == len(frames) {
				switch end {
				case fuzzEndClean:
					if err != io.EOF {
						t.Fatalf("at the end: %v, %v; want io.EOF", msg, err)
					}
				case fuzzEndTruncated:
					if !fuzzIsPlainEOF(err) {
						t.Fatalf("truncated message: %v, %v; want EOF", msg, err)
					}
				case fuzzEndBadLength:
					if !fuzzIsProtocolViolation(err) {
						t.Fatalf("bad length: %v, %v; want 08P01", msg, err)
					}
					if cap(rd.buf) > before {
						t.Fatalf("buffer grew from %d to %d for a length that was refused", before, cap(rd.buf))
					}
				}
				return
			}
			fr := frames[i]
			if cap(rd.buf) > max(before, len(fr.body)) {
				t.Fatalf("message %d: buffer grew to %d for a %d-byte body", i, cap(rd.buf), len(fr.body))
			}
			want := fuzzNewFrontendMessage(fr.typ)
			if want == nil {
				if !fuzzIsProtocolViolation(err) {
					t.Fatalf("message %d of type %q: %v, %v; want 08P01", i, fr.typ, msg, err)
				}
				return
			}
			if werr := fuzzStrictDecode(want, fr.typ, fr.body); werr != nil {
				if !fuzzIsProtocolViolation(err) {
					t.Fatalf("message %d (%q %q): %v, %v; want 08P01 (%v)", i, fr.typ, fr.body, msg, err, werr)
				}
				return
			}
			if err != nil || !fuzzSameMsg(msg, want) {
				t.Fatalf("message %d (%q %q): %+v, %v; want %+v", i, fr.typ, fr.body, msg, err, want)
			}
		}
	})
}

// ---------------------------------------------------------------------
// 3. Authentication messages, and the SCRAM exchange on top of them.

var fuzzAuthKinds = []uint32{pgproto3.AuthTypeSASL, pgproto3.AuthTypeSASLContinue, pgproto3.AuthTypeCleartextPassword}

const fuzzPassword = "hd_fuzzpassword"

// fuzzCreds are the credentials of fuzzHandler: two candidates, the
// second one fuzzPassword's.
var fuzzCreds = sync.OnceValue(func() Credentials {
	salt := []byte("hotdata-fuzz-salt")
	return Credentials{Salt: salt, Iterations: scram.DefaultIterations,
		Keys: []scram.Keys{scram.Derive("not the password", salt, scram.DefaultIterations), scram.Derive(fuzzPassword, salt, scram.DefaultIterations)},
		IDs:  []string{"tok_other", "tok_fuzz"}}
})

// fuzzSaltedPassword is SaltedPassword of RFC 5802 for fuzzPassword.
var fuzzSaltedPassword = sync.OnceValue(func() []byte {
	c := fuzzCreds()
	k, err := pbkdf2.Key(sha256.New, fuzzPassword, c.Salt, c.Iterations, sha256.Size)
	if err != nil {
		panic(err)
	}
	return k
})

func fuzzHMAC(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

// fuzzClientProof returns the base64 ClientProof of fuzzPassword for an
// authMessage, and the ServerSignature the server must answer with.
func fuzzClientProof(authMessage string) (proof, serverSig string) {
	salted := fuzzSaltedPassword()
	clientKey := fuzzHMAC(salted, "Client Key")
	stored := sha256.Sum256(clientKey)
	sig := fuzzHMAC(stored[:], authMessage)
	for i := range clientKey {
		clientKey[i] ^= sig[i]
	}
	return base64.StdEncoding.EncodeToString(clientKey),
		base64.StdEncoding.EncodeToString(fuzzHMAC(fuzzHMAC(salted, "Server Key"), authMessage))
}

const fuzzClientNonce = "fuzzclientnonce"

// FuzzReceiveAuth reads one authentication message of the kind the step
// expects (kind%3: SASLInitialResponse, SASLResponse, PasswordMessage;
// kind&0x80: the connection has a TLS channel binding), then runs it
// through the SCRAM exchange. In a SASLResponse, {nonce}, {cbind} and a
// final ",p={proof}" are replaced with the right values, so that the
// fuzzer reaches the proof check.
func FuzzReceiveAuth(f *testing.F) {
	f.Fuzz(func(t *testing.T, kind byte, data []byte) {
		if fuzzHugeTruncatedFrame(data) {
			return // declares a huge body it does not hold: nothing to check
		}
		k := fuzzAuthKinds[int(kind&0x7f)%len(fuzzAuthKinds)]
		var binding []byte
		if kind&0x80 != 0 {
			binding = []byte("fuzz tls-server-end-point")
		}
		rd := newReader(bytes.NewReader(data))
		msg, err := rd.receiveAuth(k)
		frames, end := fuzzSplitFramesLimit(data, func(byte) int { return authMessageLimit })
		if len(data) >= 5 && data[0] != 'p' {
			// Only a password response may come now: PostgreSQL refuses
			// another type before reading its body.
			if !fuzzIsProtocolViolation(err) {
				t.Fatalf("message type %q during authentication: %v, want 08P01", data[0], err)
			}
			return
		}
		if len(frames) == 0 {
			switch {
			case end == fuzzEndBadLength && !fuzzIsProtocolViolation(err):
				t.Fatalf("bad length: %v, want 08P01", err)
			case end != fuzzEndBadLength && !fuzzIsPlainEOF(err):
				t.Fatalf("truncated: %v, want EOF", err)
			}
			return
		}
		fr := frames[0]
		if fr.typ != 'p' {
			if !fuzzIsProtocolViolation(err) {
				t.Fatalf("message type %q: %v, %v; want 08P01", fr.typ, msg, err)
			}
			return
		}
		var want pgproto3.FrontendMessage
		switch k {
		case pgproto3.AuthTypeSASL:
			want = &pgproto3.SASLInitialResponse{}
		case pgproto3.AuthTypeSASLContinue:
			want = &pgproto3.SASLResponse{}
		default:
			want = &pgproto3.PasswordMessage{}
		}
		werr := fuzzStrictDecode(want, 'p', fr.body)
		if (err == nil) != (werr == nil) || (err != nil && !fuzzIsProtocolViolation(err)) {
			t.Fatalf("body %q: %v; reference %v", fr.body, err, werr)
		}
		if err != nil {
			return
		}
		if !fuzzSameMsg(msg, want) {
			t.Fatalf("body %q: %+v, want %+v", fr.body, msg, want)
		}
		creds := fuzzCreds()
		ex := &scram.Exchange{Salt: creds.Salt, Iterations: creds.Iterations, Binding: binding}
		switch m := msg.(type) {
		case *pgproto3.SASLInitialResponse:
			first, err := ex.ClientFirst(m.AuthMechanism, m.Data)
			if err != nil {
				if !errors.Is(err, scram.ErrProtocol) && !errors.Is(err, scram.ErrBinding) {
					t.Fatalf("ClientFirst(%q, %q): unexpected error %v", m.AuthMechanism, m.Data, err)
				}
				return
			}
			if !strings.HasPrefix(first, "r=") || !strings.HasSuffix(first, ",s="+base64.StdEncoding.EncodeToString(creds.Salt)+",i=4096") {
				t.Fatalf("server-first %q", first)
			}
		case *pgproto3.SASLResponse:
			mech, gs2 := scram.SHA256, "n,,"
			if binding != nil {
				mech, gs2 = scram.SHA256Plus, "p=tls-server-end-point,,"
			}
			bare := "n=,r=" + fuzzClientNonce
			first, err := ex.ClientFirst(mech, []byte(gs2+bare))
			if err != nil {
				t.Fatal(err)
			}
			nonce := strings.TrimPrefix(strings.Split(first, ",")[0], "r=")
			final := string(m.Data)
			final = strings.ReplaceAll(final, "{nonce}", nonce)
			final = strings.ReplaceAll(final, "{cbind}", base64.StdEncoding.EncodeToString(append([]byte(gs2), binding...)))
			withoutProof, hasProof := strings.CutSuffix(final, ",p={proof}")
			if hasProof {
				proof, _ := fuzzClientProof(bare + "," + first + "," + withoutProof)
				final = withoutProof + ",p=" + proof
			}
			idx, serverFinal, err := ex.ClientFinal([]byte(final), creds.Keys)
			if err != nil {
				if !errors.Is(err, scram.ErrProtocol) && !errors.Is(err, scram.ErrBinding) && !errors.Is(err, scram.ErrBadProof) {
					t.Fatalf("ClientFinal(%q): unexpected error %v", final, err)
				}
				return
			}
			// Success must mean the proof is fuzzPassword's for exactly
			// this conversation.
			i := strings.LastIndex(final, ",p=")
			proof, sig := fuzzClientProof(bare + "," + first + "," + final[:i])
			gotProof, _ := base64.StdEncoding.DecodeString(final[i+3:])
			wantProof, _ := base64.StdEncoding.DecodeString(proof)
			if idx != 1 || !bytes.Equal(gotProof, wantProof) || serverFinal != "v="+sig {
				t.Fatalf("ClientFinal(%q) accepted: candidate %d, server-final %q (want proof %s, v=%s)", final, idx, serverFinal, proof, sig)
			}
		}
	})
}

// ---------------------------------------------------------------------
// 4. Whole connections.

// fuzzNetConn is a net.Conn over two io.Pipes, so that the client can end
// its side (EOF) and still read the server's answer. Deadlines are
// ignored: the test bounds each connection with fuzzTimeout instead.
type fuzzNetConn struct {
	r *io.PipeReader // client → server
	w *io.PipeWriter // server → client
}

func (c *fuzzNetConn) Read(b []byte) (int, error)  { return c.r.Read(b) }
func (c *fuzzNetConn) Write(b []byte) (int, error) { return c.w.Write(b) }
func (c *fuzzNetConn) Close() error {
	c.r.Close()
	c.w.Close()
	return nil
}
func (c *fuzzNetConn) LocalAddr() net.Addr              { return fuzzAddr{} }
func (c *fuzzNetConn) RemoteAddr() net.Addr             { return fuzzAddr{} }
func (c *fuzzNetConn) SetDeadline(time.Time) error      { return nil }
func (c *fuzzNetConn) SetReadDeadline(time.Time) error  { return nil }
func (c *fuzzNetConn) SetWriteDeadline(time.Time) error { return nil }

type fuzzAddr struct{}

func (fuzzAddr) Network() string { return "tcp" }
func (fuzzAddr) String() string  { return "192.0.2.1:54321" }

// fuzzLog records the panics that conn.serve recovers, with the stack of
// the panic (the handler runs in serve's deferred function, before the
// stack unwinds).
type fuzzLog struct {
	mu     sync.Mutex
	panics []string
}

func (l *fuzzLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *fuzzLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *fuzzLog) WithGroup(string) slog.Handler            { return l }
func (l *fuzzLog) Handle(_ context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "panic") {
		var v string
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "panic" {
				v = a.Value.String()
			}
			return true
		})
		l.mu.Lock()
		l.panics = append(l.panics, r.Message+": "+v+"\n"+string(debug.Stack()))
		l.mu.Unlock()
	}
	return nil
}

// fuzzHandler authenticates fuzzPassword and opens fuzzSessions.
type fuzzHandler struct{}

func (fuzzHandler) Credentials(context.Context, string, string) (Credentials, error) {
	return fuzzCreds(), nil
}
func (fuzzHandler) CheckPassword(_ context.Context, password string) (string, error) {
	if password == fuzzPassword {
		return "tok_fuzz", nil
	}
	return "", nil
}
func (fuzzHandler) Open(context.Context, StartupInfo) (Session, error) { return &fuzzSession{}, nil }

// fuzzSession runs a few fixed statements; none blocks.
type fuzzSession struct {
	tx         byte
	deallocate func(string) bool
	discardAll func()
}

var fuzzSchema = arrow.NewSchema([]arrow.Field{
	{Name: "n", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
}, nil)

const fuzzRows = 3

// fuzzRecord returns rows [from, from+n) of the "rows" result; row 1 is
// all NULL.
func fuzzRecord(from, n int) arrow.RecordBatch {
	b := array.NewRecordBuilder(memory.DefaultAllocator, fuzzSchema)
	defer b.Release()
	for i := from; i < from+n; i++ {
		if i == 1 {
			for j := range fuzzSchema.NumFields() {
				b.Field(j).AppendNull()
			}
			continue
		}
		b.Field(0).(*array.Int32Builder).Append(int32(i*7 - 3))
		b.Field(1).(*array.StringBuilder).Append("row\t" + strconv.Itoa(i) + "\n\\\",")
		b.Field(2).(*array.Float64Builder).Append(float64(i) / 3)
		b.Field(3).(*array.BooleanBuilder).Append(i%2 == 0)
	}
	return b.NewRecordBatch()
}

func (s *fuzzSession) TxStatus() byte {
	if s.tx == 0 {
		return 'I'
	}
	return s.tx
}
func (s *fuzzSession) Close() error { return nil }
func (s *fuzzSession) SetResetHooks(deallocate func(string) bool, discardAll func()) {
	s.deallocate, s.discardAll = deallocate, discardAll
}

func (s *fuzzSession) SimpleQuery(_ context.Context, sql string, w ResultWriter) error {
	writeRows := func(from, n int) error {
		rec := fuzzRecord(from, n)
		defer rec.Release()
		if err := w.Describe(fuzzSchema); err != nil {
			return err
		}
		return w.Write(rec)
	}
	copyOut := func(format CopyFormat, header bool) error {
		if err := w.CopyOut(format, header, fuzzSchema); err != nil {
			return err
		}
		rec := fuzzRecord(0, fuzzRows)
		defer rec.Release()
		if err := w.Write(rec); err != nil {
			return err
		}
		return w.Complete("COPY 3")
	}
	switch strings.TrimSpace(sql) {
	case "":
		return w.EmptyQuery()
	case "rows":
		if err := writeRows(0, fuzzRows); err != nil {
			return err
		}
		return w.Complete("SELECT 3")
	case "raw":
		if err := w.DescribeFields(FieldsOf(fuzzSchema)); err != nil {
			return err
		}
		if err := w.WriteRow([][]byte{[]byte("1"), nil, []byte("x"), []byte("t")}); err != nil {
			return err
		}
		return w.Complete("SELECT 1")
	case "notice":
		if err := w.Notice(&pgerr.Error{Code: "00000", Message: "hello"}); err != nil {
			return err
		}
		return w.Complete("SELECT 0")
	case "fail":
		return pgerr.New(pgerr.UndefinedTable, "relation \"x\" does not exist")
	case "internal":
		return errors.New("secret internal detail /var/lib/x")
	case "canceled":
		return context.Canceled
	case "begin":
		s.tx = 'T'
		return w.Complete("BEGIN")
	case "abort":
		s.tx = 'E'
		return pgerr.New("25P02", "current transaction is aborted")
	case "commit", "rollback":
		s.tx = 0
		return w.Complete("COMMIT")
	case "copy":
		return copyOut(CopyText, false)
	case "copycsv":
		return copyOut(CopyCSV, true)
	case "copybin":
		return copyOut(CopyBinary, false)
	case "copyfail":
		if err := w.CopyOut(CopyText, false, fuzzSchema); err != nil {
			return err
		}
		return pgerr.New(pgerr.InternalError, "copy broke")
	case "param":
		if err := w.ParameterStatus("TimeZone", "Europe/Paris"); err != nil {
			return err
		}
		return w.Complete("SET")
	case "deallocate":
		if s.deallocate != nil {
			s.deallocate("")
		}
		return w.Complete("DEALLOCATE ALL")
	case "discard":
		if s.discardAll != nil {
			s.discardAll()
		}
		return w.Complete("DISCARD ALL")
	}
	return pgerr.New(pgerr.SyntaxError, "syntax error at or near %q", sql)
}

func (s *fuzzSession) Prepare(_ context.Context, sql string, oids []uint32) (PreparedStatement, error) {
	if strings.TrimSpace(sql) == "badprep" {
		return nil, pgerr.New(pgerr.SyntaxError, "syntax error")
	}
	return &fuzzStmt{s: s, sql: strings.TrimSpace(sql), oids: oids}, nil
}

type fuzzStmt struct {
	s    *fuzzSession
	sql  string
	oids []uint32
}

func (st *fuzzStmt) ParamOIDs() []uint32 { return st.oids }
func (st *fuzzStmt) Fields() []pgproto3.FieldDescription {
	if st.sql == "rows" || st.sql == "raw" {
		return FieldsOf(fuzzSchema)
	}
	return nil
}
func (st *fuzzStmt) Close() {}

// fuzzMaxDecodedParams bounds the parameters Bind decodes: a binary
// numeric with a large dscale takes ~0.1 s to decode (reported
// separately; FuzzDecodeParam covers DecodeParam).
const fuzzMaxDecodedParams = 4

func (st *fuzzStmt) Bind(_ context.Context, params [][]byte, paramFormats, resultFormats []int16) (Portal, error) {
	if len(params) != len(st.oids) || len(paramFormats) != len(params) {
		return nil, fmt.Errorf("bind: %d params, %d formats, %d oids", len(params), len(paramFormats), len(st.oids))
	}
	for i, p := range params[:min(len(params), fuzzMaxDecodedParams)] {
		if _, err := DecodeParam(st.oids[i], paramFormats[i], p); err != nil {
			return nil, err
		}
	}
	return &fuzzPortal{st: st}, nil
}

type fuzzPortal struct {
	st  *fuzzStmt
	pos int
}

func (p *fuzzPortal) Close() {}
func (p *fuzzPortal) Execute(ctx context.Context, w ResultWriter, maxRows int) (bool, error) {
	if p.st.sql != "rows" {
		return false, p.st.s.SimpleQuery(ctx, p.st.sql, w)
	}
	n := fuzzRows - p.pos
	if maxRows > 0 && maxRows < n {
		n = maxRows
	}
	rec := fuzzRecord(p.pos, n)
	defer rec.Release()
	if err := w.Describe(fuzzSchema); err != nil {
		return false, err
	}
	if err := w.Write(rec); err != nil {
		return false, err
	}
	p.pos += n
	if p.pos < fuzzRows {
		return true, nil
	}
	return false, w.Complete("SELECT " + strconv.Itoa(p.pos))
}

// fuzzBackendMsg is one message the server sent, decoded.
type fuzzBackendMsg struct {
	typ byte
	msg pgproto3.BackendMessage
}

func (m fuzzBackendMsg) String() string {
	if e, ok := m.msg.(*pgproto3.ErrorResponse); ok {
		return fmt.Sprintf("ErrorResponse{%s %s %q}", e.Severity, e.Code, e.Message)
	}
	return fmt.Sprintf("%T", m.msg)
}

// fuzzReadBackend reads one backend message: io.EOF at a message boundary,
// an error for a partial or undecodable one.
func fuzzReadBackend(r *bufio.Reader) (fuzzBackendMsg, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if err == io.EOF {
			return fuzzBackendMsg{}, io.EOF
		}
		return fuzzBackendMsg{}, fmt.Errorf("partial message header: %w", err)
	}
	n := int(int32(binary.BigEndian.Uint32(hdr[1:])))
	if n < 4 || n > 1<<30 {
		return fuzzBackendMsg{}, fmt.Errorf("message %q with length %d", hdr[0], n)
	}
	frame := make([]byte, 1+n)
	copy(frame, hdr[:])
	if _, err := io.ReadFull(r, frame[5:]); err != nil {
		return fuzzBackendMsg{}, fmt.Errorf("partial %q message: %w", hdr[0], err)
	}
	// A fresh Frontend per message: the decoded message stays valid.
	msg, err := pgproto3.NewFrontend(bytes.NewReader(frame), nil).Receive()
	if err != nil {
		return fuzzBackendMsg{}, fmt.Errorf("undecodable %q message %q: %w", hdr[0], frame, err)
	}
	return fuzzBackendMsg{typ: hdr[0], msg: msg}, nil
}

// fuzzServer is one server connection over a fuzzNetConn.
type fuzzServer struct {
	log      *fuzzLog
	toServer *io.PipeWriter
	out      *bufio.Reader
	done     chan struct{}
}

func startFuzzServer(t *testing.T) *fuzzServer {
	t.Helper()
	log := &fuzzLog{}
	srv, err := NewServer(Config{Handler: fuzzHandler{}, Logger: slog.New(log), AuthTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	cr, cw := io.Pipe()
	sr, sw := io.Pipe()
	c := srv.newConn(&fuzzNetConn{r: cr, w: sw})
	s := &fuzzServer{log: log, toServer: cw, out: bufio.NewReader(sr), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		c.serve()
	}()
	return s
}

// send writes the client's bytes in the background, then ends the
// client's side of the stream.
func (s *fuzzServer) send(data []byte) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = s.toServer.Write(data)
		_ = s.toServer.Close()
	}()
	return done
}

// fuzzWithin runs fn, failing the test with every goroutine's stack when it
// takes longer than fuzzTimeout.
func fuzzWithin(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(fuzzTimeout):
		var buf bytes.Buffer
		_ = pprof.Lookup("goroutine").WriteTo(&buf, 2)
		t.Fatalf("%s: no progress after %v\n%s", what, fuzzTimeout, buf.String())
	}
}

// finish waits for the server to end its connection and checks that it
// did not panic.
func (s *fuzzServer) finish(t *testing.T, sent <-chan struct{}) {
	t.Helper()
	fuzzWithin(t, "server did not close the connection", func() {
		<-s.done
		<-sent
	})
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	if len(s.log.panics) > 0 {
		t.Fatalf("server panicked:\n%s", strings.Join(s.log.panics, "\n"))
	}
}

// fuzzCheckEnding checks what follows the handshake: every message decodes,
// FATAL comes last if at all, nothing internal leaks.
func fuzzCheckEnding(t *testing.T, msgs []fuzzBackendMsg) {
	t.Helper()
	for i, m := range msgs {
		e, ok := m.msg.(*pgproto3.ErrorResponse)
		if !ok {
			continue
		}
		if e.Severity != e.SeverityUnlocalized || (e.Severity != "ERROR" && e.Severity != "FATAL") || len(e.Code) != 5 {
			t.Fatalf("message %d: malformed error %+v", i, e)
		}
		if e.Severity == "FATAL" && i != len(msgs)-1 {
			t.Fatalf("message %d: FATAL then %v", i, msgs[i+1:])
		}
		if strings.Contains(e.Message, "secret") || strings.Contains(e.Detail, "secret") {
			t.Fatalf("internal error leaked: %+v", e)
		}
	}
}

// FuzzConnStartup sends arbitrary bytes from the first byte on: start-up
// packets, SSL/GSS requests, the authentication exchange. Without the
// password nothing may get past authentication.
func FuzzConnStartup(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		s := startFuzzServer(t)
		sent := s.send(data)
		var out []byte
		fuzzWithin(t, "reading the server's answer", func() { out, _ = io.ReadAll(s.out) })
		s.finish(t, sent)

		// Model the start-up packets: SSLRequest and GSSENCRequest get a
		// single 'N'; the first other packet decides.
		nN, wantFatal := 0, ""
		for p := data; ; {
			if len(p) < 4 {
				break
			}
			if !fuzzValidStartupLen(p) {
				wantFatal = pgerr.ProtocolViolation
				break
			}
			n := int(binary.BigEndian.Uint32(p))
			if len(p) < n {
				break
			}
			code, body := binary.BigEndian.Uint32(p[4:]), p[8:n]
			p = p[n:]
			if code == codeSSLRequest || code == codeGSSENCRequest {
				nN++
				continue
			}
			switch {
			case code == codeCancelRequest:
				if len(body) < 8 {
					wantFatal = pgerr.ProtocolViolation
				} else {
					wantFatal = "none"
				}
			case code>>16 != protocolMajor3:
				wantFatal = pgerr.FeatureNotSupported
			default:
				params, err := parseStartupParams(body)
				switch {
				case err != nil:
					wantFatal = pgerr.ProtocolViolation
				case params["user"] == "":
					wantFatal = pgerr.InvalidAuthorizationSpec
				case fuzzHasKey(params, "client_encoding") && !isUTF8(params["client_encoding"]):
					wantFatal = pgerr.InvalidParameterValue
				default:
					wantFatal = "auth"
				}
			}
			break
		}
		if len(out) < nN || strings.Count(string(out[:nN]), "N") != nN {
			t.Fatalf("want %d 'N' answers, got %q", nN, out)
		}
		r := bufio.NewReader(bytes.NewReader(out[nN:]))
		var msgs []fuzzBackendMsg
		for {
			m, err := fuzzReadBackend(r)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("after %v: %v", msgs, err)
			}
			msgs = append(msgs, m)
		}
		fuzzCheckEnding(t, msgs)
		for _, m := range msgs {
			switch m.msg.(type) {
			case *pgproto3.AuthenticationOk, *pgproto3.AuthenticationSASLFinal, *pgproto3.ReadyForQuery, *pgproto3.BackendKeyData:
				t.Fatalf("got past authentication without the password: %v", msgs)
			}
		}
		var last *pgproto3.ErrorResponse
		if len(msgs) > 0 {
			last, _ = msgs[len(msgs)-1].msg.(*pgproto3.ErrorResponse)
		}
		switch wantFatal {
		case "":
			if len(msgs) != 0 {
				t.Fatalf("incomplete start-up answered with %v", msgs)
			}
		case "none":
			if len(msgs) != 0 {
				t.Fatalf("CancelRequest answered with %v", msgs)
			}
		case "auth":
			// A SASL request (after NegotiateProtocolVersion, maybe), then
			// whatever the exchange gives.
			i := 0
			if len(msgs) > 0 && msgs[0].typ == 'v' {
				i++
			}
			if len(msgs) <= i {
				t.Fatalf("start-up accepted, then %v", msgs)
			}
			if _, ok := msgs[i].msg.(*pgproto3.AuthenticationSASL); !ok {
				t.Fatalf("start-up accepted, then %v; want AuthenticationSASL", msgs)
			}
		default:
			if last == nil || last.Severity != "FATAL" || last.Code != wantFatal || len(msgs) > 2 {
				t.Fatalf("got %v, want FATAL %s", msgs, wantFatal)
			}
		}
	})
}

func fuzzHasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// handshake runs start-up and SCRAM-SHA-256 as a client would and reads
// up to the first ReadyForQuery.
func (s *fuzzServer) handshake(out io.Writer) error {
	send := func(m pgproto3.FrontendMessage) error {
		b, err := m.Encode(nil)
		if err != nil {
			return err
		}
		_, err = out.Write(b)
		return err
	}
	recv := func() (pgproto3.BackendMessage, error) {
		m, err := fuzzReadBackend(s.out)
		return m.msg, err
	}
	if err := send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": "fuzz", "database": "db", "application_name": "fuzz"}}); err != nil {
		return err
	}
	if m, err := recv(); err != nil {
		return err
	} else if sasl, ok := m.(*pgproto3.AuthenticationSASL); !ok || !reflect.DeepEqual(sasl.AuthMechanisms, []string{scram.SHA256}) {
		return fmt.Errorf("got %#v, want AuthenticationSASL", m)
	}
	bare := "n=,r=" + fuzzClientNonce
	if err := send(&pgproto3.SASLInitialResponse{AuthMechanism: scram.SHA256, Data: []byte("n,," + bare)}); err != nil {
		return err
	}
	m, err := recv()
	if err != nil {
		return err
	}
	cont, ok := m.(*pgproto3.AuthenticationSASLContinue)
	if !ok {
		return fmt.Errorf("got %#v, want AuthenticationSASLContinue", m)
	}
	serverFirst := string(cont.Data)
	nonce := strings.TrimPrefix(strings.Split(serverFirst, ",")[0], "r=")
	withoutProof := "c=" + base64.StdEncoding.EncodeToString([]byte("n,,")) + ",r=" + nonce
	proof, sig := fuzzClientProof(bare + "," + serverFirst + "," + withoutProof)
	if err := send(&pgproto3.SASLResponse{Data: []byte(withoutProof + ",p=" + proof)}); err != nil {
		return err
	}
	if m, err := recv(); err != nil {
		return err
	} else if fin, ok := m.(*pgproto3.AuthenticationSASLFinal); !ok || string(fin.Data) != "v="+sig {
		return fmt.Errorf("got %#v, want AuthenticationSASLFinal v=%s", m, sig)
	}
	if m, err := recv(); err != nil {
		return err
	} else if _, ok := m.(*pgproto3.AuthenticationOk); !ok {
		return fmt.Errorf("got %#v, want AuthenticationOk", m)
	}
	for {
		m, err := recv()
		if err != nil {
			return err
		}
		switch m := m.(type) {
		case *pgproto3.ParameterStatus, *pgproto3.BackendKeyData:
		case *pgproto3.ReadyForQuery:
			if m.TxStatus != 'I' {
				return fmt.Errorf("ReadyForQuery %c", m.TxStatus)
			}
			return nil
		default:
			return fmt.Errorf("got %#v before ReadyForQuery", m)
		}
	}
}

// FuzzConn authenticates, then sends arbitrary bytes as the client's
// messages. The server must answer every Query, Sync and FunctionCall it
// processes with at most one ReadyForQuery each (each Sync with exactly
// one), stop at the first malformed message with FATAL 08P01 or a close
// (-wire.fuzzstrict: FATAL 08P01 only), close without a FATAL after
// Terminate or the end of the stream, and never send a malformed message
// or anything after FATAL.
func FuzzConn(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if fuzzHugeTruncatedFrame(data) {
			return // declares a huge body it does not hold: nothing to check
		}
		s := startFuzzServer(t)
		var herr, rerr error
		var msgs []fuzzBackendMsg
		var sent <-chan struct{}
		fuzzWithin(t, "client", func() {
			if herr = s.handshake(s.toServer); herr != nil {
				s.toServer.Close()
				return
			}
			sent = s.send(data)
			for {
				var m fuzzBackendMsg
				m, rerr = fuzzReadBackend(s.out)
				if rerr != nil {
					break
				}
				msgs = append(msgs, m)
			}
		})
		if sent == nil {
			c := make(chan struct{})
			close(c)
			sent = c
		}
		s.finish(t, sent)
		if herr != nil {
			t.Fatalf("handshake: %v", herr)
		}
		if rerr != io.EOF {
			t.Fatalf("after %v: %v", msgs, rerr)
		}
		fuzzCheckEnding(t, msgs)

		frames, end := fuzzSplitFrames(data)
		malformed, terminated := end == fuzzEndBadLength, false
		nSync, nOther := 0, 0
		for _, fr := range frames {
			m := fuzzNewFrontendMessage(fr.typ)
			if m == nil || fr.typ == 'p' || fuzzStrictDecode(m, fr.typ, fr.body) != nil {
				malformed = true
				break
			}
			if fr.typ == 'X' {
				malformed, terminated = false, true
				break
			}
			switch fr.typ {
			case 'S':
				nSync++
			case 'Q', 'F':
				nOther++
			}
		}
		nZ := 0
		for i, m := range msgs {
			switch m.msg.(type) {
			case *pgproto3.ReadyForQuery:
				nZ++
			case *pgproto3.AuthenticationOk, *pgproto3.AuthenticationSASL, *pgproto3.AuthenticationSASLContinue,
				*pgproto3.AuthenticationSASLFinal, *pgproto3.AuthenticationCleartextPassword, *pgproto3.BackendKeyData:
				t.Fatalf("message %d: %v after start-up", i, m)
			}
		}
		if nZ < nSync || nZ > nSync+nOther {
			t.Fatalf("%d ReadyForQuery for %d Sync and %d Query/FunctionCall: %v", nZ, nSync, nOther, msgs)
		}
		var fatal *pgproto3.ErrorResponse
		if len(msgs) > 0 {
			if e, ok := msgs[len(msgs)-1].msg.(*pgproto3.ErrorResponse); ok && e.Severity == "FATAL" {
				fatal = e
			}
		}
		switch {
		case malformed && fatal == nil && *fuzzStrict:
			t.Fatalf("malformed input closed without FATAL 08P01; got %v", msgs)
		case malformed && fatal != nil && fatal.Code != pgerr.ProtocolViolation:
			t.Fatalf("malformed input answered with %v, want FATAL 08P01", fatal)
		case !malformed && fatal != nil:
			t.Fatalf("well-formed input (terminated: %v, end %d) answered with FATAL %s %q", terminated, end, fatal.Code, fatal.Message)
		}
	})
}

// ---------------------------------------------------------------------
// 5. Bind parameters (DecodeParam, called by sessions on Bind).

// FuzzDecodeParam decodes a bound parameter value and checks the result
// against an independent reading of the type's binary format.
func FuzzDecodeParam(f *testing.F) {
	f.Fuzz(func(t *testing.T, oid uint32, format int16, v []byte) {
		got, err := DecodeParam(oid, format, v)
		if err != nil {
			if e := pgerr.As(err); e == nil || (e.Code != pgerr.ProtocolViolation && e.Code != pgerr.FeatureNotSupported && e.Code != pgerr.InvalidTextRepresentation && e.Code != "22008") {
				t.Fatalf("DecodeParam(%d, %d, %x): unexpected error %v", oid, format, v, err)
			}
		}
		fail := func(format_ string, args ...any) {
			t.Helper()
			t.Fatalf("DecodeParam(%d, %d, %x) = %#v, %v: "+format_, append([]any{oid, format, v, got, err}, args...)...)
		}
		if v == nil {
			if got != nil || err != nil {
				fail("want NULL")
			}
			return
		}
		if format == 0 {
			if oid == OIDBytea {
				ref, ok := fuzzRefByteaText(string(v))
				if (err == nil) != ok || (ok && !bytes.Equal(got.([]byte), ref)) {
					fail("want %x (valid: %v)", ref, ok)
				}
				return
			}
			if err != nil || got != string(v) {
				fail("text stays text")
			}
			return
		}
		be16 := func(b []byte) int64 { return int64(int16(binary.BigEndian.Uint16(b))) }
		be32 := func(b []byte) int64 { return int64(int32(binary.BigEndian.Uint32(b))) }
		be64 := func(b []byte) int64 { return int64(binary.BigEndian.Uint64(b)) }
		wantLen := map[uint32]int{OIDBool: 1, OIDInt2: 2, OIDInt4: 4, OIDInt8: 8, OIDFloat4: 4, OIDFloat8: 8, OIDUUID: 16,
			OIDDate: 4, OIDTime: 8, OIDTimestamp: 8, OIDTimestamptz: 8, OIDInterval: 16, OIDOID: 4}
		if n, ok := wantLen[oid]; ok && len(v) != n {
			if !fuzzIsProtocolViolation(err) {
				fail("want 08P01 for %d bytes", len(v))
			}
			return
		}
		var want any
		switch oid {
		case OIDBool:
			want = v[0] != 0
		case OIDInt2:
			want = be16(v)
		case OIDInt4:
			want = be32(v)
		case OIDInt8:
			want = be64(v)
		case OIDOID:
			want = int64(binary.BigEndian.Uint32(v)) // oidrecv: unsigned
		case OIDFloat4:
			want = float64(math.Float32frombits(binary.BigEndian.Uint32(v)))
		case OIDFloat8:
			want = math.Float64frombits(binary.BigEndian.Uint64(v))
		case OIDText, OIDVarchar, OIDBPChar, OIDName, OIDChar, OIDJSON, OIDUnknown, 0:
			want = string(v)
		case OIDBytea:
			want = v
		case OIDUUID:
			h := hex.EncodeToString(v)
			want = h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
		case OIDJSONB:
			if len(v) < 1 || v[0] != 1 {
				if !fuzzIsProtocolViolation(err) {
					fail("want 08P01")
				}
				return
			}
			want = string(v[1:])
		case OIDDate:
			d := be32(v)
			switch {
			case d == math.MaxInt32:
				want = "infinity"
			case d == math.MinInt32:
				want = "-infinity"
			case *fuzzStrict && (d < -2451545 || d > 2147483494-2451545):
				// date_recv: "date out of range" (DATE_IS_NOBEGIN ..
				// IS_VALID_DATE: 4714-11-24 BC to 5874897 AD).
				if err == nil {
					fail("PostgreSQL refuses dates out of range")
				}
				return
			default:
				tm := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(d))
				if tm.Year() < 1 || tm.Year() > 9999 {
					return
				}
				want = tm.Format("2006-01-02")
			}
		case OIDTime:
			us := be64(v)
			if us < 0 || us > 86_400_000_000 {
				if *fuzzStrict && err == nil {
					fail("PostgreSQL's time_recv refuses a time of day out of range")
				}
				return
			}
			want = time.Unix(0, 0).UTC().Add(time.Duration(us) * time.Microsecond).Format("15:04:05.999999")
			if us == 86_400_000_000 {
				want = "24:00:00"
			}
		case OIDTimestamp, OIDTimestamptz:
			us := be64(v)
			switch {
			case us == math.MaxInt64:
				want = "infinity"
			case us == math.MinInt64:
				want = "-infinity"
			case us < -211813488000000000 || us >= 9223371331200000000:
				// timestamp_recv: "timestamp out of range" outside
				// 4714-11-24 BC .. 294276 AD.
				if *fuzzStrict && err == nil {
					fail("PostgreSQL refuses timestamps out of range")
				}
				return
			default:
				tm := time.Unix(946684800+fuzzFloorDiv(us, 1_000_000), fuzzFloorMod(us, 1_000_000)*1000).UTC()
				if tm.Year() < 1 || tm.Year() > 9999 {
					return
				}
				s := tm.Format("2006-01-02 15:04:05.999999")
				if oid == OIDTimestamptz {
					s += "+00"
				}
				want = s
			}
		case OIDInterval:
			want = fmt.Sprintf("%d months %d days %d microseconds", be32(v[12:]), be32(v[8:]), be64(v))
		case OIDNumeric:
			w, ok := fuzzRefNumeric(v)
			if !ok {
				if !fuzzIsProtocolViolation(err) {
					fail("want 08P01")
				}
				return
			}
			if *fuzzStrict && len(v) >= 8 {
				sign, dscale := binary.BigEndian.Uint16(v[4:]), binary.BigEndian.Uint16(v[6:])
				badDigit := false
				for i := 8; i+1 < len(v); i += 2 {
					badDigit = badDigit || binary.BigEndian.Uint16(v[i:]) >= 10000
				}
				if (sign != 0 && sign != 0x4000 && sign != 0xC000 && sign != 0xD000 && sign != 0xF000) || dscale&0x3FFF != dscale || badDigit {
					if err == nil {
						fail("numeric_recv refuses an invalid sign, dscale or digit")
					}
					return
				}
				if strings.HasPrefix(w, "-") && strings.Trim(w, "-0.") == "" {
					w = w[1:] // numeric_recv makes zero positive
				}
			}
			want = w
		default:
			if e := pgerr.As(err); e == nil || e.Code != pgerr.FeatureNotSupported {
				fail("want 0A000 for an unsupported binary type")
			}
			return
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			if f, ok := want.(float64); ok && math.IsNaN(f) {
				if g, ok := got.(float64); ok && math.IsNaN(g) {
					return
				}
			}
			fail("want %#v", want)
		}
	})
}

// fuzzStrictDecode decodes like pgproto3 and, as PostgreSQL does, also
// refuses bytes past the fields of the messages whose length the fields
// decide (measured by encoding the decoded message again).
func fuzzStrictDecode(m pgproto3.FrontendMessage, typ byte, body []byte) error {
	if err := m.Decode(body); err != nil {
		return err
	}
	enc, err := m.Encode(nil)
	if err != nil {
		return err
	}
	if len(enc)-5 != len(body) {
		return fmt.Errorf("%d bytes after the fields", len(body)-(len(enc)-5))
	}
	return nil
}

func fuzzFloorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func fuzzFloorMod(a, b int64) int64 { return a - fuzzFloorDiv(a, b)*b }

// fuzzRefByteaText decodes bytea's text input (hex or escape).
func fuzzRefByteaText(s string) ([]byte, bool) {
	if rest, ok := strings.CutPrefix(s, `\x`); ok {
		b, err := hex.DecodeString(rest)
		return b, err == nil
	}
	var out []byte
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] != '\\':
			out = append(out, s[i])
		case strings.HasPrefix(s[i:], `\\`):
			out = append(out, '\\')
			i++
		case i+3 < len(s) && strings.IndexByte("01234567", s[i+1]) >= 0 && strings.IndexByte("01234567", s[i+2]) >= 0 && strings.IndexByte("01234567", s[i+3]) >= 0:
			n, _ := strconv.ParseUint(s[i+1:i+4], 8, 16)
			out = append(out, byte(n))
			i += 3
		default:
			return nil, false
		}
	}
	return out, true
}

// fuzzRefNumeric renders numeric_send's format (ndigits, weight, sign,
// dscale, then base-10000 digits) as PostgreSQL prints it: exactly
// dscale fraction digits, truncated.
func fuzzRefNumeric(v []byte) (string, bool) {
	if len(v) < 8 {
		return "", false
	}
	ndigits := int(int16(binary.BigEndian.Uint16(v)))
	weight := int(int16(binary.BigEndian.Uint16(v[2:])))
	sign := binary.BigEndian.Uint16(v[4:])
	dscale := int(int16(binary.BigEndian.Uint16(v[6:])))
	// numeric_recv reads every digit it was told of, even for NaN and
	// the infinities.
	if ndigits < 0 || dscale < 0 || len(v) != 8+2*ndigits {
		return "", false
	}
	switch sign {
	case 0xC000:
		return "NaN", true
	case 0xD000:
		return "Infinity", true
	case 0xF000:
		return "-Infinity", true
	}
	// value * 10^dscale = sum(d_i * 10^(4*(weight-i) + dscale)), as a
	// fraction, truncated toward zero.
	num, den := new(big.Int), big.NewInt(1)
	ten := big.NewInt(10)
	minExp := 0
	for i := range ndigits {
		minExp = min(minExp, 4*(weight-i)+dscale)
	}
	den.Exp(ten, big.NewInt(int64(-minExp)), nil)
	for i := range ndigits {
		d := big.NewInt(int64(binary.BigEndian.Uint16(v[8+2*i:])))
		e := 4*(weight-i) + dscale - minExp
		num.Add(num, d.Mul(d, new(big.Int).Exp(ten, big.NewInt(int64(e)), nil)))
	}
	num.Quo(num, den)
	s := num.String()
	if dscale > 0 {
		s = strings.Repeat("0", max(0, dscale+1-len(s))) + s
		s = s[:len(s)-dscale] + "." + s[len(s)-dscale:]
	}
	if sign == 0x4000 {
		s = "-" + s
	}
	return s, true
}

// ---------------------------------------------------------------------
// Seed corpus.

type fuzzSeed struct {
	name string
	args []any
}

func fuzzEnc(msgs ...pgproto3.FrontendMessage) []byte {
	var b []byte
	for _, m := range msgs {
		var err error
		if b, err = m.Encode(b); err != nil {
			panic(err)
		}
	}
	return b
}

// fuzzRawMsg frames a body with a type byte and the right length.
func fuzzRawMsg(typ byte, body []byte) []byte {
	return append(binary.BigEndian.AppendUint32([]byte{typ}, uint32(len(body)+4)), body...)
}

// fuzzWithLen frames a body with a type byte and the given length.
func fuzzWithLen(typ byte, n uint32, body []byte) []byte {
	return append(binary.BigEndian.AppendUint32([]byte{typ}, n), body...)
}

func fuzzCat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func fuzzNumericBin(ndigits, weight int16, sign, dscale uint16, digits ...uint16) []byte {
	b := binary.BigEndian.AppendUint16(nil, uint16(ndigits))
	b = binary.BigEndian.AppendUint16(b, uint16(weight))
	b = binary.BigEndian.AppendUint16(b, sign)
	b = binary.BigEndian.AppendUint16(b, dscale)
	for _, d := range digits {
		b = binary.BigEndian.AppendUint16(b, d)
	}
	return b
}

// fuzzSeeds lists the seed corpus of each target.
func fuzzSeeds() map[string][]fuzzSeed {
	be32 := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	be64 := func(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }
	startup := func(params ...string) []byte { return startupPacket(protocolMajor3<<16, params...) }
	validStartup := startup("user", "alice", "database", "db")
	sslReq, _ := (&pgproto3.SSLRequest{}).Encode(nil)
	gssReq, _ := (&pgproto3.GSSEncRequest{}).Encode(nil)
	cancelReq, _ := (&pgproto3.CancelRequest{ProcessID: 1, SecretKey: []byte{1, 2, 3, 4}}).Encode(nil)

	bindRows := &pgproto3.Bind{DestinationPortal: "p1", PreparedStatement: "s1",
		ParameterFormatCodes: []int16{1}, Parameters: [][]byte{be32(42)}, ResultFormatCodes: []int16{0, 1, 1, 1}}
	parseRows := &pgproto3.Parse{Name: "s1", Query: "rows", ParameterOIDs: []uint32{OIDInt4}}

	// Valid bodies of every message type.
	bodies := []struct {
		name string
		msg  pgproto3.FrontendMessage
	}{
		{"bind", bindRows},
		{"bind_nulls", &pgproto3.Bind{Parameters: [][]byte{nil, {}, []byte("x")}}},
		{"close_statement", &pgproto3.Close{ObjectType: 'S', Name: "s1"}},
		{"close_portal", &pgproto3.Close{ObjectType: 'P'}},
		{"describe_statement", &pgproto3.Describe{ObjectType: 'S', Name: "s1"}},
		{"describe_portal", &pgproto3.Describe{ObjectType: 'P', Name: ""}},
		{"execute", &pgproto3.Execute{Portal: "p1", MaxRows: 1}},
		{"flush", &pgproto3.Flush{}},
		{"parse", parseRows},
		{"parse_no_oids", &pgproto3.Parse{Query: "select 1"}},
		{"query", &pgproto3.Query{String: "rows"}},
		{"query_empty", &pgproto3.Query{}},
		{"sync", &pgproto3.Sync{}},
		{"terminate", &pgproto3.Terminate{}},
		{"copydata", &pgproto3.CopyData{Data: []byte("1\tx\n")}},
		{"copydone", &pgproto3.CopyDone{}},
		{"copyfail", &pgproto3.CopyFail{Message: "client gave up"}},
		{"functioncall", &pgproto3.FunctionCall{Function: 1598, ArgFormatCodes: []uint16{1}, Arguments: [][]byte{be32(7), nil}, ResultFormatCode: 1}},
	}

	seeds := map[string][]fuzzSeed{}
	add := func(target, name string, args ...any) {
		seeds[target] = append(seeds[target], fuzzSeed{name, args})
	}

	// FuzzStartupPacket.
	add("FuzzStartupPacket", "startup", validStartup)
	add("FuzzStartupPacket", "startup_options", startup("user", "alice", "database", "db", "options", "-c search_path=x", "_pq_.x", "1", "client_encoding", "UTF8"))
	add("FuzzStartupPacket", "startup_no_params", startupPacket(protocolMajor3<<16))
	add("FuzzStartupPacket", "ssl_then_startup", fuzzCat(sslReq, validStartup))
	add("FuzzStartupPacket", "gss_then_startup", fuzzCat(gssReq, validStartup))
	add("FuzzStartupPacket", "cancel", cancelReq)
	add("FuzzStartupPacket", "protocol_3_2", startupPacket(protocolMajor3<<16|2, "user", "alice"))
	add("FuzzStartupPacket", "length_3", []byte{0, 0, 0, 3})
	add("FuzzStartupPacket", "length_7", []byte{0, 0, 0, 7, 0, 3, 0})
	add("FuzzStartupPacket", "length_huge", []byte{0x7f, 0xff, 0xff, 0xff, 0, 3, 0, 0})
	add("FuzzStartupPacket", "length_negative", []byte{0xff, 0xff, 0xff, 0xf0, 0, 3, 0, 0})
	add("FuzzStartupPacket", "length_10001", fuzzCat(be32(10001), be32(protocolMajor3<<16)))
	add("FuzzStartupPacket", "truncated", validStartup[:len(validStartup)-3])
	add("FuzzStartupPacket", "header_only", validStartup[:3])
	add("FuzzStartupPacket", "missing_terminator", fuzzCat(be32(8+11), be32(protocolMajor3<<16), []byte("user\x00alice\x00")))
	add("FuzzStartupPacket", "unterminated_value", fuzzCat(be32(8+10), be32(protocolMajor3<<16), []byte("user\x00alice")))
	add("FuzzStartupPacket", "data_after_terminator", fuzzCat(be32(8+3), be32(protocolMajor3<<16), []byte("\x00a\x00")))
	add("FuzzStartupPacket", "empty_name", fuzzCat(be32(8+4), be32(protocolMajor3<<16), []byte("\x00x\x00\x00")))
	add("FuzzStartupPacket", "empty_value", fuzzCat(be32(8+4), be32(protocolMajor3<<16), []byte("a\x00\x00\x00")))

	// FuzzDecode: each type with a valid body, after an unrelated one.
	for _, b := range bodies {
		e := fuzzEnc(b.msg)
		add("FuzzDecode", b.name, e[0], e[5:], []byte{})
	}
	add("FuzzDecode", "bind_after_bind", byte('B'), fuzzEnc(&pgproto3.Bind{})[5:], fuzzEnc(bindRows)[5:])
	add("FuzzDecode", "parse_after_parse", byte('P'), fuzzEnc(&pgproto3.Parse{Query: "x"})[5:], fuzzEnc(parseRows)[5:])
	add("FuzzDecode", "execute_after_execute", byte('E'), fuzzEnc(&pgproto3.Execute{})[5:], fuzzEnc(&pgproto3.Execute{Portal: "p", MaxRows: 9})[5:])
	add("FuzzDecode", "functioncall_after_functioncall", byte('F'), fuzzEnc(&pgproto3.FunctionCall{})[5:], fuzzEnc(bodies[len(bodies)-1].msg)[5:])
	add("FuzzDecode", "bind_truncated_param", byte('B'), []byte("\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10ab"), []byte{})
	add("FuzzDecode", "bind_many_params", byte('B'), []byte("\x00\x00\x00\x00\xff\xff"), []byte{})
	add("FuzzDecode", "bind_negative_length", byte('B'), []byte("\x00\x00\x00\x00\x00\x01\xff\xff\xff\xfe\x00\x00"), []byte{})
	add("FuzzDecode", "bind_trailing", byte('B'), append(fuzzEnc(bindRows)[5:], 'x'), []byte{})
	add("FuzzDecode", "parse_no_terminator", byte('P'), []byte("s1\x00select 1"), []byte{})
	add("FuzzDecode", "parse_short_oids", byte('P'), []byte("\x00q\x00\x00\x02\x00\x00\x00\x17"), []byte{})
	add("FuzzDecode", "execute_no_terminator", byte('E'), []byte("portal"), []byte{})
	add("FuzzDecode", "execute_short", byte('E'), []byte("\x00\x00\x00"), []byte{})
	add("FuzzDecode", "query_no_terminator", byte('Q'), []byte("select 1"), []byte{})
	add("FuzzDecode", "query_two_terminators", byte('Q'), []byte("a\x00b\x00"), []byte{})
	add("FuzzDecode", "describe_bad_kind", byte('D'), []byte("Xname\x00"), []byte{})
	add("FuzzDecode", "close_short", byte('C'), []byte("S"), []byte{})
	add("FuzzDecode", "sync_with_body", byte('S'), []byte("x"), []byte{})
	add("FuzzDecode", "copyfail_empty", byte('f'), []byte{}, []byte{})
	add("FuzzDecode", "functioncall_bad_format", byte('F'), []byte("\x00\x00\x00\x01\x00\x01\x00\x02\x00\x00\x00\x00"), []byte{})
	add("FuzzDecode", "unknown_type", byte('p'), []byte("password\x00"), []byte{})
	add("FuzzDecode", "type_zero", byte(0), []byte{}, []byte{})

	// FuzzReader: streams.
	stream := fuzzEnc(parseRows, bindRows, &pgproto3.Describe{ObjectType: 'P', Name: "p1"}, &pgproto3.Execute{Portal: "p1"}, &pgproto3.Sync{})
	add("FuzzReader", "extended_batch", stream)
	add("FuzzReader", "all_types", func() []byte {
		var b []byte
		for _, m := range bodies {
			b = append(b, fuzzEnc(m.msg)...)
		}
		return b
	}())
	add("FuzzReader", "query_terminate", fuzzEnc(&pgproto3.Query{String: "rows"}, &pgproto3.Terminate{}))
	add("FuzzReader", "length_3", fuzzWithLen('Q', 3, nil))
	add("FuzzReader", "length_negative", fuzzWithLen('Q', 0xfffffff0, nil))
	add("FuzzReader", "length_max_int32", fuzzWithLen('Q', 0x7fffffff, []byte("select")))
	add("FuzzReader", "small_type_over_limit", fuzzWithLen('S', 10005, nil))
	add("FuzzReader", "small_type_at_limit", fuzzCat(fuzzWithLen('S', 10004, bytes.Repeat([]byte("s"), 10000)), fuzzEnc(&pgproto3.Sync{})))
	add("FuzzReader", "large_type_truncated", fuzzWithLen('Q', 1<<20, []byte("select 1")))
	add("FuzzReader", "truncated_header", []byte("Q\x00\x00"))
	add("FuzzReader", "truncated_body", fuzzEnc(&pgproto3.Query{String: "select 1"})[:9])
	add("FuzzReader", "header_only", fuzzEnc(&pgproto3.Query{String: "select 1"})[:5])
	add("FuzzReader", "unknown_type", fuzzRawMsg('z', []byte("x")))
	add("FuzzReader", "password_after_startup", fuzzRawMsg('p', []byte("secret\x00")))
	add("FuzzReader", "query_no_terminator", fuzzCat(fuzzRawMsg('Q', []byte("select 1")), fuzzEnc(&pgproto3.Sync{})))
	add("FuzzReader", "big_then_small", fuzzCat(fuzzRawMsg('d', bytes.Repeat([]byte("d"), 20000)), fuzzEnc(&pgproto3.CopyDone{}, &pgproto3.Sync{})))

	// FuzzReceiveAuth: kind%3 = SASLInitialResponse, SASLResponse,
	// PasswordMessage; kind&0x80 = TLS binding.
	initial := func(mech, data string) []byte {
		return fuzzEnc(&pgproto3.SASLInitialResponse{AuthMechanism: mech, Data: []byte(data)})
	}
	resp := func(data string) []byte { return fuzzEnc(&pgproto3.SASLResponse{Data: []byte(data)}) }
	add("FuzzReceiveAuth", "initial", byte(0), initial(scram.SHA256, "n,,n=,r=abcdef"))
	add("FuzzReceiveAuth", "initial_authzid", byte(0), initial(scram.SHA256, "n,a=alice,n=alice,r=abcdef"))
	add("FuzzReceiveAuth", "initial_plus", byte(0x80), initial(scram.SHA256Plus, "p=tls-server-end-point,,n=,r=abcdef"))
	add("FuzzReceiveAuth", "initial_downgrade", byte(0x80), initial(scram.SHA256, "y,,n=,r=abcdef"))
	add("FuzzReceiveAuth", "initial_plus_without_tls", byte(0), initial(scram.SHA256Plus, "p=tls-server-end-point,,n=,r=abcdef"))
	add("FuzzReceiveAuth", "initial_mandatory_ext", byte(0), initial(scram.SHA256, "n,,m=x,n=,r=abcdef"))
	add("FuzzReceiveAuth", "initial_bad_nonce", byte(0), initial(scram.SHA256, "n,,n=,r=a,b\x01"))
	add("FuzzReceiveAuth", "initial_no_data", byte(0), fuzzRawMsg('p', []byte("SCRAM-SHA-256\x00\xff\xff\xff\xff")))
	add("FuzzReceiveAuth", "initial_short", byte(0), fuzzRawMsg('p', []byte("SCRAM-SHA-256\x00\x00\x00")))
	add("FuzzReceiveAuth", "initial_no_terminator", byte(0), fuzzRawMsg('p', []byte("SCRAM-SHA-256")))
	add("FuzzReceiveAuth", "initial_length_mismatch", byte(0), fuzzRawMsg('p', []byte("SCRAM-SHA-256\x00\x00\x00\x00\x40n,,n=,r=x")))
	add("FuzzReceiveAuth", "response_valid", byte(1), resp("c={cbind},r={nonce},p={proof}"))
	add("FuzzReceiveAuth", "response_valid_plus", byte(0x81), resp("c={cbind},r={nonce},p={proof}"))
	add("FuzzReceiveAuth", "response_wrong_binding", byte(0x81), resp("c=biws,r={nonce},p={proof}"))
	add("FuzzReceiveAuth", "response_wrong_nonce", byte(1), resp("c={cbind},r=abc,p={proof}"))
	add("FuzzReceiveAuth", "response_bad_proof", byte(1), resp("c={cbind},r={nonce},p=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="))
	add("FuzzReceiveAuth", "response_short_proof", byte(1), resp("c={cbind},r={nonce},p=AAAA"))
	add("FuzzReceiveAuth", "response_bad_base64", byte(1), resp("c=***,r={nonce},p=@@@"))
	add("FuzzReceiveAuth", "response_extension", byte(1), resp("c={cbind},r={nonce},x=ext,p={proof}"))
	add("FuzzReceiveAuth", "response_empty", byte(1), fuzzRawMsg('p', nil))
	add("FuzzReceiveAuth", "password", byte(2), fuzzEnc(&pgproto3.PasswordMessage{Password: fuzzPassword}))
	add("FuzzReceiveAuth", "password_no_terminator", byte(2), fuzzRawMsg('p', []byte("secret")))
	add("FuzzReceiveAuth", "password_empty", byte(2), fuzzRawMsg('p', nil))
	add("FuzzReceiveAuth", "wrong_type", byte(0), fuzzEnc(&pgproto3.Query{String: "select 1"}))
	add("FuzzReceiveAuth", "length_3", byte(0), fuzzWithLen('p', 3, nil))
	add("FuzzReceiveAuth", "length_huge", byte(1), fuzzWithLen('p', 0x7fffffff, []byte("x")))
	add("FuzzReceiveAuth", "truncated", byte(1), resp("c=biws")[:7])
	add("FuzzReceiveAuth", "empty", byte(2), []byte{})

	// FuzzConnStartup: the whole client stream from the first byte.
	scramFirst := initial(scram.SHA256, "n,,n=,r=abcdef")
	add("FuzzConnStartup", "startup_then_eof", validStartup)
	add("FuzzConnStartup", "startup_scram", fuzzCat(validStartup, scramFirst, resp("c=biws,r=abcdef,p=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")))
	add("FuzzConnStartup", "ssl_gss_then_startup", fuzzCat(sslReq, gssReq, validStartup, scramFirst))
	add("FuzzConnStartup", "cancel", cancelReq)
	add("FuzzConnStartup", "cancel_short", fuzzCat(be32(12), be32(codeCancelRequest), be32(1)))
	add("FuzzConnStartup", "protocol_2", startupPacket(2<<16, "user", "alice"))
	add("FuzzConnStartup", "protocol_3_2", startupPacket(protocolMajor3<<16|2, "user", "alice", "_pq_.x", "1"))
	add("FuzzConnStartup", "no_user", startup("database", "db"))
	add("FuzzConnStartup", "bad_encoding", startup("user", "alice", "client_encoding", "LATIN1"))
	add("FuzzConnStartup", "empty_encoding", startup("user", "alice", "client_encoding", ""))
	add("FuzzConnStartup", "length_3", []byte{0, 0, 0, 3})
	add("FuzzConnStartup", "length_huge", []byte{0x7f, 0, 0, 0})
	add("FuzzConnStartup", "unterminated", fuzzCat(be32(8+11), be32(protocolMajor3<<16), []byte("user\x00alice\x00")))
	add("FuzzConnStartup", "tls_hello", []byte{0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5})
	add("FuzzConnStartup", "wrong_auth_type", fuzzCat(validStartup, fuzzEnc(&pgproto3.Query{String: "select 1"})))
	add("FuzzConnStartup", "wrong_mechanism", fuzzCat(validStartup, initial("SCRAM-SHA-1", "n,,n=,r=x")))
	add("FuzzConnStartup", "plus_without_tls", fuzzCat(validStartup, initial(scram.SHA256Plus, "p=tls-server-end-point,,n=,r=x")))
	add("FuzzConnStartup", "password_instead", fuzzCat(validStartup, fuzzEnc(&pgproto3.PasswordMessage{Password: fuzzPassword})))
	add("FuzzConnStartup", "auth_huge_length", fuzzCat(validStartup, fuzzWithLen('p', 0x7fffffff, nil)))
	add("FuzzConnStartup", "auth_truncated", fuzzCat(validStartup, scramFirst[:10]))

	// FuzzConn: messages after authentication.
	q := func(sql string) []byte { return fuzzEnc(&pgproto3.Query{String: sql}) }
	for _, sql := range []string{"rows", "raw", "", "notice", "fail", "internal", "canceled", "copy", "copycsv", "copybin", "copyfail", "param", "deallocate", "discard", "nonsense"} {
		name := "query_" + sql
		if sql == "" {
			name = "query_empty"
		}
		add("FuzzConn", name, q(sql))
	}
	add("FuzzConn", "transaction", fuzzCat(q("begin"), q("abort"), q("rows"), q("rollback"), q("rows")))
	add("FuzzConn", "extended", fuzzEnc(parseRows, bindRows, &pgproto3.Describe{ObjectType: 'S', Name: "s1"}, &pgproto3.Describe{ObjectType: 'P', Name: "p1"},
		&pgproto3.Execute{Portal: "p1", MaxRows: 1}, &pgproto3.Execute{Portal: "p1"}, &pgproto3.Close{ObjectType: 'P', Name: "p1"},
		&pgproto3.Close{ObjectType: 'S', Name: "s1"}, &pgproto3.Sync{}))
	add("FuzzConn", "extended_unnamed_flush", fuzzEnc(&pgproto3.Parse{Query: "rows"}, &pgproto3.Bind{ResultFormatCodes: []int16{1}},
		&pgproto3.Describe{ObjectType: 'P'}, &pgproto3.Flush{}, &pgproto3.Execute{MaxRows: 2}, &pgproto3.Execute{}, &pgproto3.Sync{}, &pgproto3.Terminate{}))
	add("FuzzConn", "extended_params", fuzzEnc(
		&pgproto3.Parse{Name: "p", Query: "raw", ParameterOIDs: []uint32{OIDInt8, OIDNumeric, OIDBytea, OIDTimestamptz}},
		&pgproto3.Bind{PreparedStatement: "p", ParameterFormatCodes: []int16{1, 1, 0, 1},
			Parameters: [][]byte{be64(7), fuzzNumericBin(2, 0, 0x4000, 2, 12, 3400), []byte(`\x0102`), be64(0)}},
		&pgproto3.Execute{}, &pgproto3.Sync{}))
	add("FuzzConn", "extended_errors", fuzzEnc(&pgproto3.Parse{Name: "x", Query: "badprep"}, &pgproto3.Bind{PreparedStatement: "x"},
		&pgproto3.Execute{}, &pgproto3.Sync{}, &pgproto3.Bind{PreparedStatement: "missing"}, &pgproto3.Sync{},
		&pgproto3.Describe{ObjectType: 'P', Name: "missing"}, &pgproto3.Sync{}, &pgproto3.Close{ObjectType: 'X'}, &pgproto3.Sync{}))
	add("FuzzConn", "bind_bad_formats", fuzzEnc(parseRows, &pgproto3.Bind{PreparedStatement: "s1", ParameterFormatCodes: []int16{2}, Parameters: [][]byte{nil}},
		&pgproto3.Sync{}, &pgproto3.Bind{PreparedStatement: "s1", Parameters: [][]byte{nil}, ResultFormatCodes: []int16{0, 1}}, &pgproto3.Sync{},
		&pgproto3.Bind{PreparedStatement: "s1", ParameterFormatCodes: []int16{1}, Parameters: [][]byte{[]byte("xx")}}, &pgproto3.Sync{}))
	add("FuzzConn", "duplicate_names", fuzzEnc(parseRows, parseRows, &pgproto3.Sync{}, bindRows, bindRows, &pgproto3.Sync{}))
	add("FuzzConn", "query_in_failed_batch", fuzzEnc(&pgproto3.Bind{PreparedStatement: "missing"}, &pgproto3.Query{String: "rows"},
		&pgproto3.FunctionCall{Function: 1}, &pgproto3.Sync{}, &pgproto3.Query{String: "rows"}))
	add("FuzzConn", "discard_in_portal", fuzzEnc(&pgproto3.Parse{Query: "discard"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Sync{}))
	add("FuzzConn", "copy_messages", fuzzEnc(&pgproto3.CopyData{Data: []byte("x")}, &pgproto3.CopyDone{}, &pgproto3.CopyFail{Message: "no"}, &pgproto3.Query{String: "rows"}))
	add("FuzzConn", "functioncall", fuzzEnc(bodies[len(bodies)-1].msg))
	add("FuzzConn", "terminate_then_more", fuzzEnc(&pgproto3.Terminate{}, &pgproto3.Query{String: "rows"}))
	add("FuzzConn", "length_3", fuzzCat(q("rows"), fuzzWithLen('Q', 3, nil)))
	add("FuzzConn", "length_huge", fuzzWithLen('Q', 0x7fffffff, []byte("select")))
	add("FuzzConn", "length_negative", fuzzWithLen('B', 0xffffffff, nil))
	add("FuzzConn", "small_over_limit", fuzzWithLen('S', 10005, nil))
	add("FuzzConn", "unknown_type", fuzzCat(q("rows"), fuzzRawMsg('z', nil)))
	add("FuzzConn", "password_after_auth", fuzzRawMsg('p', []byte("x\x00")))
	add("FuzzConn", "startup_after_auth", validStartup)
	add("FuzzConn", "query_no_terminator", fuzzRawMsg('Q', []byte("rows")))
	add("FuzzConn", "parse_no_terminator", fuzzRawMsg('P', []byte("s1\x00rows")))
	add("FuzzConn", "execute_no_terminator", fuzzCat(fuzzEnc(&pgproto3.Parse{Query: "rows"}, &pgproto3.Bind{}), fuzzRawMsg('E', []byte("portal"))))
	add("FuzzConn", "query_two_strings", fuzzRawMsg('Q', []byte("rows\x00rows\x00")))
	add("FuzzConn", "sync_with_body", fuzzCat(fuzzEnc(parseRows), fuzzRawMsg('S', []byte{0})))
	add("FuzzConn", "terminate_with_body", fuzzRawMsg('X', []byte{0}))
	add("FuzzConn", "bind_truncated", fuzzRawMsg('B', []byte("\x00s1\x00\x00\x01\x00\x01\x00\x00\x00\x10ab")))
	add("FuzzConn", "describe_bad_kind", fuzzCat(fuzzEnc(parseRows), fuzzRawMsg('D', []byte("Xs1\x00")), fuzzEnc(&pgproto3.Sync{})))
	add("FuzzConn", "truncated_message", q("rows")[:7])
	add("FuzzConn", "header_only", q("rows")[:5])

	// FuzzDecodeParam.
	param := func(name string, oid uint32, format int16, v []byte) { add("FuzzDecodeParam", name, oid, format, v) }
	param("text", OIDText, 0, []byte("hello"))
	param("text_int", OIDInt4, 0, []byte("42"))
	param("bytea_hex", OIDBytea, 0, []byte(`\xdeadBEEF`))
	param("bytea_escape", OIDBytea, 0, []byte(`a\\b\001\377`))
	param("bytea_bad_escape", OIDBytea, 0, []byte(`a\9`))
	param("bytea_bad_hex", OIDBytea, 0, []byte(`\xabc`))
	param("bool", OIDBool, 1, []byte{1})
	param("int2", OIDInt2, 1, []byte{0xff, 0xfe})
	param("int4", OIDInt4, 1, be32(0x80000000))
	param("int4_short", OIDInt4, 1, []byte{1, 2})
	param("int8", OIDInt8, 1, be64(1<<63))
	param("float4", OIDFloat4, 1, be32(math.Float32bits(1.5)))
	param("float8_nan", OIDFloat8, 1, be64(math.Float64bits(math.NaN())))
	param("jsonb", OIDJSONB, 1, []byte("\x01{\"a\":1}"))
	param("jsonb_bad_version", OIDJSONB, 1, []byte("\x02{}"))
	param("bytea_binary", OIDBytea, 1, []byte{0, 1, 2})
	param("uuid", OIDUUID, 1, []byte("0123456789abcdef"))
	param("date", OIDDate, 1, be32(uint32(0xffffffff)))
	param("date_infinity", OIDDate, 1, be32(math.MaxInt32))
	param("date_far", OIDDate, 1, be32(math.MaxInt32-1))
	param("time", OIDTime, 1, be64(3_723_000_001))
	param("time_negative", OIDTime, 1, be64(uint64(1<<64-1)))
	param("timestamp", OIDTimestamp, 1, be64(uint64(1<<64-1_500_000)))
	param("timestamptz", OIDTimestamptz, 1, be64(1_000_000))
	param("timestamp_overflow", OIDTimestamp, 1, be64(math.MaxInt64-1))
	param("interval", OIDInterval, 1, fuzzCat(be64(1), be32(2), be32(3)))
	param("numeric", OIDNumeric, 1, fuzzNumericBin(3, 1, 0x4000, 6, 12, 3456, 7800))
	param("numeric_small", OIDNumeric, 1, fuzzNumericBin(1, -2, 0, 10, 5))
	param("numeric_zero_scale", OIDNumeric, 1, fuzzNumericBin(0, 0, 0, 2))
	param("numeric_negative_zero", OIDNumeric, 1, fuzzNumericBin(0, 0, 0x4000, 0))
	param("numeric_nan", OIDNumeric, 1, fuzzNumericBin(0, 0, 0xC000, 0))
	param("numeric_inf", OIDNumeric, 1, fuzzNumericBin(0, 0, 0xF000, 0))
	param("numeric_truncated", OIDNumeric, 1, fuzzNumericBin(2, 0, 0, 0, 1))
	param("numeric_big_digit", OIDNumeric, 1, fuzzNumericBin(1, 0, 0, 0, 65535))
	param("numeric_bad_sign", OIDNumeric, 1, fuzzNumericBin(1, 0, 0x1234, 0, 1))
	param("numeric_short", OIDNumeric, 1, []byte{0, 0, 0})
	param("unsupported", 600, 1, []byte{1})
	param("null", OIDInt4, 1, nil)
	return seeds
}

// fuzzMarshalFuzzSeed writes one "go test fuzz v1" corpus file.
func fuzzMarshalFuzzSeed(args []any) []byte {
	b := []byte("go test fuzz v1\n")
	for _, a := range args {
		switch v := a.(type) {
		case []byte:
			b = fmt.Appendf(b, "[]byte(%q)\n", v)
		case byte:
			b = fmt.Appendf(b, "byte(%q)\n", v)
		case uint32:
			b = fmt.Appendf(b, "uint32(%d)\n", v)
		case int16:
			b = fmt.Appendf(b, "int16(%d)\n", v)
		default:
			panic(fmt.Sprintf("seed argument of type %T", a))
		}
	}
	return b
}

// TestWriteFuzzCorpus rewrites testdata/fuzz from fuzzSeeds (with
// -wire.update-fuzz-corpus); without it, it checks that the files match.
func TestWriteFuzzCorpus(t *testing.T) {
	for target, seeds := range fuzzSeeds() {
		dir := filepath.Join("testdata", "fuzz", target)
		if *updateFuzzCorpus {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for _, s := range seeds {
			path := filepath.Join(dir, "seed_"+s.name)
			want := fuzzMarshalFuzzSeed(s.args)
			if *updateFuzzCorpus {
				if err := os.WriteFile(path, want, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			got, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s is missing or stale (%v): run go test ./wire/ -run '^TestWriteFuzzCorpus$' -wire.update-fuzz-corpus", path, err)
			}
		}
	}
}
