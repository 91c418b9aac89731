package wire

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/internal/scram"
)

const testPassword = "hd_wiretestpassword"

// fakeHandler accepts testPassword for database "db" and runs fakeSession.
type fakeHandler struct {
	salt []byte
	mu   sync.Mutex
	// opened records the StartupInfo of each session.
	opened []StartupInfo
}

func (h *fakeHandler) Credentials(context.Context, string, string) (Credentials, error) {
	return Credentials{Salt: h.salt, Iterations: 4096,
		Keys: []scram.Keys{scram.Derive("other", h.salt, 4096), scram.Derive(testPassword, h.salt, 4096)},
		IDs:  []string{"tok_other", "tok_test"}}, nil
}

func (h *fakeHandler) CheckPassword(_ context.Context, password string) (string, error) {
	if password == testPassword {
		return "tok_test", nil
	}
	return "", nil
}

func (h *fakeHandler) Open(_ context.Context, info StartupInfo) (Session, error) {
	if info.Database != "db" {
		return nil, pgerr.New(pgerr.InvalidCatalogName, "database %q does not exist", info.Database)
	}
	h.mu.Lock()
	h.opened = append(h.opened, info)
	h.mu.Unlock()
	return &fakeSession{}, nil
}

// fakeSession understands a few fixed statements.
type fakeSession struct{ tx byte }

func (s *fakeSession) TxStatus() byte {
	if s.tx == 0 {
		return 'I'
	}
	return s.tx
}
func (s *fakeSession) Close() error { return nil }

func (s *fakeSession) Prepare(_ context.Context, sql string, oids []uint32) (PreparedStatement, error) {
	if sql != "rows" && sql != "block" && sql != "set" {
		return nil, pgerr.New(pgerr.SyntaxError, "unknown test statement")
	}
	return &fakeStmt{s: s, sql: sql}, nil
}

// fakeStmt runs a fake statement in the extended protocol; "rows" takes
// one parameter that it ignores.
type fakeStmt struct {
	s   *fakeSession
	sql string
}

func (f *fakeStmt) ParamOIDs() []uint32 {
	if f.sql == "set" {
		return nil
	}
	return []uint32{OIDInt4}
}
func (f *fakeStmt) Fields() []pgproto3.FieldDescription {
	if f.sql == "set" {
		return nil // no rows: NoData
	}
	return FieldsOf(arrow.NewSchema([]arrow.Field{{Name: "n", Type: arrow.PrimitiveTypes.Int32, Nullable: true}, {Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil))
}
func (f *fakeStmt) Close() {}
func (f *fakeStmt) Bind(_ context.Context, params [][]byte, _, _ []int16) (Portal, error) {
	return &fakePortal{st: f}, nil
}

type fakePortal struct{ st *fakeStmt }

func (p *fakePortal) Close() {}
func (p *fakePortal) Execute(ctx context.Context, w ResultWriter, maxRows int) (bool, error) {
	return false, p.st.s.SimpleQuery(ctx, p.st.sql, w)
}

func (s *fakeSession) SimpleQuery(ctx context.Context, sql string, w ResultWriter) error {
	switch sql {
	case "":
		return w.EmptyQuery()
	case "rows":
		schema := arrow.NewSchema([]arrow.Field{{Name: "n", Type: arrow.PrimitiveTypes.Int32, Nullable: true}, {Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
		b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		defer b.Release()
		b.Field(0).(*array.Int32Builder).AppendValues([]int32{1, 2}, []bool{true, false})
		b.Field(1).(*array.StringBuilder).AppendValues([]string{"a", "b"}, nil)
		rec := b.NewRecordBatch()
		defer rec.Release()
		if err := w.Describe(schema); err != nil {
			return err
		}
		if err := w.Write(rec); err != nil {
			return err
		}
		return w.Complete("SELECT 2")
	case "notice":
		if err := w.Notice(&pgerr.Error{Code: "00000", Message: "hello"}); err != nil {
			return err
		}
		return w.Complete("SELECT 0")
	case "fail":
		return pgerr.New(pgerr.UndefinedTable, "relation \"x\" does not exist")
	case "internal":
		return errors.New("secret internal detail /var/lib/x")
	case "block":
		<-ctx.Done()
		return ctx.Err()
	case "slow":
		time.Sleep(300 * time.Millisecond)
		return w.Complete("SELECT 0")
	case "begin":
		s.tx = 'T'
		return w.Complete("BEGIN")
	case "set":
		return w.Complete("SET")
	case "copybin", "copybin0":
		schema := arrow.NewSchema([]arrow.Field{{Name: "n", Type: arrow.PrimitiveTypes.Int32, Nullable: true}}, nil)
		if err := w.CopyOut(CopyBinary, false, schema); err != nil {
			return err
		}
		if sql == "copybin" {
			b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
			defer b.Release()
			b.Field(0).(*array.Int32Builder).AppendValues([]int32{7, 0}, []bool{true, false})
			rec := b.NewRecordBatch()
			defer rec.Release()
			if err := w.Write(rec); err != nil {
				return err
			}
			return w.Complete("COPY 2")
		}
		return w.Complete("COPY 0")
	}
	return pgerr.New(pgerr.SyntaxError, "unknown test statement")
}

func startServer(t *testing.T, opts ...func(*Config)) (*Server, *fakeHandler, string) {
	t.Helper()
	h := &fakeHandler{salt: scram.NewSalt()}
	cfg := Config{Handler: h, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AuthTimeout: 5 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	})
	return srv, h, ln.Addr().String()
}

func connect(t *testing.T, addr, password, db string) (*pgconn.PgConn, error) {
	t.Helper()
	return pgconn.Connect(context.Background(), "postgres://alice:"+password+"@"+addr+"/"+db+"?sslmode=disable&application_name=wiretest")
}

func TestAuthAndQuery(t *testing.T) {
	_, h, addr := startServer(t)
	c, err := connect(t, addr, testPassword, "db")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	if h.opened[0].CredentialID != "tok_test" || h.opened[0].User != "alice" || h.opened[0].Params["application_name"] != "wiretest" {
		t.Fatalf("startup info = %+v", h.opened[0])
	}
	if v := c.ParameterStatus("server_version"); v != "16.4" {
		t.Fatalf("server_version = %q", v)
	}
	if c.ParameterStatus("client_encoding") != "UTF8" || c.ParameterStatus("integer_datetimes") != "on" || c.ParameterStatus("standard_conforming_strings") != "on" {
		t.Fatal("start-up parameters missing")
	}
	res, err := c.Exec(context.Background(), "rows").ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if len(r.FieldDescriptions) != 2 || r.FieldDescriptions[0].DataTypeOID != OIDInt4 || r.FieldDescriptions[1].DataTypeOID != OIDText ||
		r.FieldDescriptions[0].Name != "n" || r.CommandTag.String() != "SELECT 2" {
		t.Fatalf("result = %+v", r)
	}
	if string(r.Rows[0][0]) != "1" || r.Rows[1][0] != nil || string(r.Rows[1][1]) != "b" {
		t.Fatalf("rows = %q", r.Rows)
	}
	if _, err := c.Exec(context.Background(), "fail").ReadAll(); sqlstate(err) != pgerr.UndefinedTable {
		t.Fatalf("error = %v", err)
	}
	_, err = c.Exec(context.Background(), "internal").ReadAll()
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != pgerr.InternalError || strings.Contains(pe.Message, "/var/lib") {
		t.Fatalf("internal error leaked or missing: %v", err)
	}
	// Still usable, and transaction status follows the session.
	if _, err := c.Exec(context.Background(), "begin").ReadAll(); err != nil {
		t.Fatal(err)
	}
	if c.TxStatus() != 'T' {
		t.Fatalf("tx status %c", c.TxStatus())
	}
	res, err = c.Exec(context.Background(), "").ReadAll()
	if err != nil || len(res) != 1 || len(res[0].Rows) != 0 {
		t.Fatalf("empty query: %v %v", res, err)
	}
}

func sqlstate(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func TestAuthFailures(t *testing.T) {
	_, _, addr := startServer(t)
	if _, err := connect(t, addr, "wrong", "db"); sqlstate(err) != pgerr.InvalidPassword {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := connect(t, addr, testPassword, "other"); sqlstate(err) != pgerr.InvalidCatalogName {
		t.Fatalf("unknown database: %v", err)
	}
}

func TestNotice(t *testing.T) {
	_, _, addr := startServer(t)
	var got []string
	cfg, _ := pgconn.ParseConfig("postgres://alice:" + testPassword + "@" + addr + "/db?sslmode=disable")
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { got = append(got, n.Severity+" "+n.Message) }
	c, err := pgconn.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	if _, err := c.Exec(context.Background(), "notice").ReadAll(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "NOTICE hello" {
		t.Fatalf("notices = %q", got)
	}
}

// TestCancelRequest: a CancelRequest with the right key stops the running
// statement with 57014; the session stays usable.
func TestCancelRequest(t *testing.T) {
	_, _, addr := startServer(t)
	c, err := connect(t, addr, testPassword, "db")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	go func() {
		time.Sleep(100 * time.Millisecond)
		_ = c.CancelRequest(context.Background())
	}()
	start := time.Now()
	_, err = c.Exec(context.Background(), "block").ReadAll()
	if sqlstate(err) != pgerr.QueryCanceled || time.Since(start) > 5*time.Second {
		t.Fatalf("cancel: %v after %v", err, time.Since(start))
	}
	if _, err := c.Exec(context.Background(), "rows").ReadAll(); err != nil {
		t.Fatalf("after cancel: %v", err)
	}
}

// rawConn speaks the protocol by hand.
type rawConn struct {
	t  *testing.T
	nc net.Conn
	r  *bufio.Reader
}

func dial(t *testing.T, addr string) *rawConn {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	_ = nc.SetDeadline(time.Now().Add(5 * time.Second))
	return &rawConn{t: t, nc: nc, r: bufio.NewReader(nc)}
}

func (c *rawConn) write(b []byte) {
	if _, err := c.nc.Write(b); err != nil {
		c.t.Fatal(err)
	}
}

func startupPacket(code uint32, params ...string) []byte {
	body := binary.BigEndian.AppendUint32(nil, code)
	for _, p := range params {
		body = append(body, p...)
		body = append(body, 0)
	}
	if len(params) > 0 {
		body = append(body, 0)
	}
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(body)+4)), body...)
}

// message reads one backend message: its type and body.
func (c *rawConn) message() (byte, []byte) {
	c.t.Helper()
	var hdr [5]byte
	if _, err := io.ReadFull(c.r, hdr[:]); err != nil {
		c.t.Fatalf("read message: %v", err)
	}
	body := make([]byte, binary.BigEndian.Uint32(hdr[1:])-4)
	if _, err := io.ReadFull(c.r, body); err != nil {
		c.t.Fatal(err)
	}
	return hdr[0], body
}

func errorCode(body []byte) string {
	for len(body) > 1 {
		field := body[0]
		end := strings.IndexByte(string(body[1:]), 0)
		if field == 'C' {
			return string(body[1 : 1+end])
		}
		body = body[2+end:]
	}
	return ""
}

func TestStartupEdgeCases(t *testing.T) {
	_, _, addr := startServer(t)
	t.Run("SSLRequest declined", func(t *testing.T) {
		c := dial(t, addr)
		c.write(startupPacket(codeSSLRequest))
		b, err := c.r.ReadByte()
		if err != nil || b != 'N' {
			t.Fatalf("SSLRequest answer %q, %v", b, err)
		}
		c.write(startupPacket(protocolMajor3<<16, "user", "alice", "database", "db"))
		if typ, body := c.message(); typ != 'R' || binary.BigEndian.Uint32(body) != pgproto3.AuthTypeSASL {
			t.Fatalf("after SSL decline: %c %q", typ, body)
		}
	})
	t.Run("GSSENCRequest declined", func(t *testing.T) {
		c := dial(t, addr)
		c.write(startupPacket(codeGSSENCRequest))
		if b, _ := c.r.ReadByte(); b != 'N' {
			t.Fatalf("GSSENCRequest answer %q", b)
		}
	})
	t.Run("bad length", func(t *testing.T) {
		c := dial(t, addr)
		c.write([]byte{0, 0, 0, 3})
		typ, body := c.message()
		if typ != 'E' || errorCode(body) != pgerr.ProtocolViolation {
			t.Fatalf("got %c %q", typ, body)
		}
	})
	t.Run("huge length", func(t *testing.T) {
		c := dial(t, addr)
		c.write([]byte{0x7f, 0, 0, 0})
		if typ, body := c.message(); typ != 'E' || errorCode(body) != pgerr.ProtocolViolation {
			t.Fatalf("got %c %q", typ, body)
		}
	})
	t.Run("protocol 2", func(t *testing.T) {
		c := dial(t, addr)
		c.write(startupPacket(2<<16, "user", "alice"))
		if typ, body := c.message(); typ != 'E' || errorCode(body) != pgerr.FeatureNotSupported {
			t.Fatalf("got %c %q", typ, body)
		}
	})
	t.Run("protocol 3.2 negotiated down", func(t *testing.T) {
		c := dial(t, addr)
		c.write(startupPacket(protocolMajor3<<16|2, "user", "alice", "database", "db", "_pq_.x", "1"))
		typ, body := c.message()
		if typ != 'v' || binary.BigEndian.Uint32(body) != 0 || !strings.Contains(string(body), "_pq_.x") {
			t.Fatalf("got %c %q, want NegotiateProtocolVersion", typ, body)
		}
		if typ, _ := c.message(); typ != 'R' {
			t.Fatalf("then %c, want an authentication request", typ)
		}
	})
	t.Run("no user", func(t *testing.T) {
		c := dial(t, addr)
		c.write(startupPacket(protocolMajor3<<16, "database", "db"))
		if typ, body := c.message(); typ != 'E' || errorCode(body) != pgerr.InvalidAuthorizationSpec {
			t.Fatalf("got %c %q", typ, body)
		}
	})
	t.Run("unterminated parameters", func(t *testing.T) {
		c := dial(t, addr)
		pkt := startupPacket(protocolMajor3<<16, "user", "alice")
		c.write(pkt[:len(pkt)-1])
		// Length says one byte more than sent: pad with a non-terminator.
		c.write([]byte{'x'})
		if typ, body := c.message(); typ != 'E' || errorCode(body) != pgerr.ProtocolViolation {
			t.Fatalf("got %c %q", typ, body)
		}
	})
	t.Run("wrong SASL mechanism", func(t *testing.T) {
		c := dial(t, addr)
		c.write(startupPacket(protocolMajor3<<16, "user", "alice", "database", "db"))
		c.message()
		msg, _ := (&pgproto3.SASLInitialResponse{AuthMechanism: "SCRAM-SHA-1", Data: []byte("n,,n=,r=x")}).Encode(nil)
		c.write(msg)
		if typ, body := c.message(); typ != 'E' || errorCode(body) != pgerr.ProtocolViolation {
			t.Fatalf("got %c %q", typ, body)
		}
	})
}

// TestShutdownDrains: an idle session is told 57P01 at once, a busy one
// finishes its statement first, and Shutdown returns when both are gone.
func TestShutdownDrains(t *testing.T) {
	srv, _, addr := startServer(t)
	idle, err := connect(t, addr, testPassword, "db")
	if err != nil {
		t.Fatal(err)
	}
	busy, err := connect(t, addr, testPassword, "db")
	if err != nil {
		t.Fatal(err)
	}
	result := make(chan error, 1)
	go func() {
		_, err := busy.Exec(context.Background(), "slow").ReadAll()
		result <- err
	}()
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if err := <-result; err != nil {
		t.Fatalf("busy statement did not finish: %v", err)
	}
	if _, err := idle.Exec(context.Background(), "rows").ReadAll(); err == nil {
		t.Fatal("idle session still served after shutdown")
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Fatal("still accepting after shutdown")
	}
}

// TestBinaryCopyFraming: the binary COPY signature travels in the first
// row's CopyData, or with the trailer when there is no row, as
// PostgreSQL sends it (psycopg's parser expects exactly that).
func TestBinaryCopyFraming(t *testing.T) {
	_, _, addr := startServer(t)
	pc, err := connect(t, addr, testPassword, "db")
	if err != nil {
		t.Fatal(err)
	}
	hj, err := pc.Hijack()
	if err != nil {
		t.Fatal(err)
	}
	defer hj.Conn.Close()
	sig := "5047434f50590aff0d0a00" + "00000000" + "00000000"
	for _, c := range []struct {
		sql  string
		want []string
	}{
		{"copybin", []string{sig + "0001" + "00000004" + "00000007", "0001" + "ffffffff", "ffff"}},
		{"copybin0", []string{sig + "ffff"}},
	} {
		hj.Frontend.Send(&pgproto3.Query{String: c.sql})
		if err := hj.Frontend.Flush(); err != nil {
			t.Fatal(err)
		}
		var got []string
		for {
			msg, err := hj.Frontend.Receive()
			if err != nil {
				t.Fatal(err)
			}
			if d, ok := msg.(*pgproto3.CopyData); ok {
				got = append(got, hex.EncodeToString(d.Data))
			}
			if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
				break
			}
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s: CopyData %v, want %v", c.sql, got, c.want)
		}
	}
}

// TestDescribeNoData: a statement without rows is described with
// NoData, for the statement and for its portal (not an empty
// RowDescription, which means zero columns).
func TestDescribeNoData(t *testing.T) {
	_, _, addr := startServer(t)
	pc, err := connect(t, addr, testPassword, "db")
	if err != nil {
		t.Fatal(err)
	}
	hj, err := pc.Hijack()
	if err != nil {
		t.Fatal(err)
	}
	defer hj.Conn.Close()
	fe := hj.Frontend
	fe.Send(&pgproto3.Parse{Name: "s", Query: "set"})
	fe.Send(&pgproto3.Describe{ObjectType: 'S', Name: "s"})
	fe.Send(&pgproto3.Bind{PreparedStatement: "s"})
	fe.Send(&pgproto3.Describe{ObjectType: 'P'})
	fe.Send(&pgproto3.Execute{})
	fe.Send(&pgproto3.Sync{})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.TrimPrefix(fmt.Sprintf("%T", msg), "*pgproto3."))
		if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
			break
		}
	}
	want := "ParseComplete ParameterDescription NoData BindComplete NoData CommandComplete ReadyForQuery"
	if strings.Join(got, " ") != want {
		t.Errorf("messages %v, want %s", got, want)
	}
}
