package wire

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// Start-up packet codes (src/include/libpq/pqcomm.h).
const (
	codeCancelRequest = 80877102
	codeSSLRequest    = 80877103
	codeGSSENCRequest = 80877104
	protocolMajor3    = 3
)

// maxStartupPacketLen mirrors PostgreSQL's MAX_STARTUP_PACKET_LENGTH.
const maxStartupPacketLen = 10000

// readStartupPacket reads one length-prefixed start-up packet.
func readStartupPacket(r io.Reader) (uint32, []byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := int(int32(binary.BigEndian.Uint32(hdr[:])))
	if n < 8 || n > maxStartupPacketLen {
		return 0, nil, pgerr.New(pgerr.ProtocolViolation, "invalid length of startup packet")
	}
	body := make([]byte, n-4)
	if _, err := io.ReadFull(r, body); err != nil {
		return 0, nil, err
	}
	return binary.BigEndian.Uint32(body[:4]), body[4:], nil
}

// parseStartupParams decodes "name\0value\0...\0".
func parseStartupParams(b []byte) (map[string]string, error) {
	params := map[string]string{}
	for len(b) > 0 {
		if b[0] == 0 {
			if len(b) != 1 {
				return nil, errors.New("data after the startup packet terminator")
			}
			return params, nil
		}
		name, rest, ok := bytes.Cut(b, []byte{0})
		if !ok {
			return nil, errors.New("unterminated parameter name")
		}
		value, rest2, ok := bytes.Cut(rest, []byte{0})
		if !ok {
			return nil, errors.New("unterminated parameter value")
		}
		params[string(name)] = string(value)
		b = rest2
	}
	return nil, errors.New("missing startup packet terminator")
}

// peekConn lets the first byte be looked at before the start-up packet
// is read, to tell a direct TLS handshake from a PostgreSQL packet.
type peekConn struct {
	net.Conn
	r *bufio.Reader
}

func (p *peekConn) Read(b []byte) (int, error) { return p.r.Read(b) }

// startup negotiates the connection, authenticates and opens the session.
// It returns false (and no error) when the connection is done without a
// session, as after a CancelRequest.
func (c *conn) startup() (bool, error) {
	pc := &peekConn{Conn: c.nc, r: bufio.NewReaderSize(c.nc, 512)}
	c.nc = pc
	// PostgreSQL 17's sslnegotiation=direct starts with a TLS ClientHello.
	if first, err := pc.r.Peek(1); err == nil && first[0] == 0x16 && c.srv.cfg.TLS != nil {
		if err := c.startTLS(pc); err != nil {
			return false, err
		}
	}
	var params map[string]string
	for params == nil {
		code, body, err := readStartupPacket(c.nc)
		if err != nil {
			return false, err
		}
		switch {
		case code == codeSSLRequest:
			if c.srv.cfg.TLS == nil || c.info.TLS {
				if _, err := c.nc.Write([]byte{'N'}); err != nil {
					return false, err
				}
				continue
			}
			if pc.r.Buffered() > 0 {
				// Bytes after SSLRequest and before the handshake could be
				// injected by a man in the middle (CVE-2021-23214).
				return false, pgerr.New(pgerr.ProtocolViolation, "received unencrypted data after SSL request")
			}
			if _, err := c.nc.Write([]byte{'S'}); err != nil {
				return false, err
			}
			if err := c.startTLS(c.nc); err != nil {
				return false, err
			}
		case code == codeGSSENCRequest:
			// GSSAPI encryption is not offered: 'N' tells the client to go on.
			if _, err := c.nc.Write([]byte{'N'}); err != nil {
				return false, err
			}
		case code == codeCancelRequest:
			if len(body) < 8 {
				return false, pgerr.New(pgerr.ProtocolViolation, "invalid cancel request")
			}
			c.srv.cancelQuery(binary.BigEndian.Uint32(body[:4]), body[4:])
			return false, nil
		case code>>16 == protocolMajor3:
			p, err := parseStartupParams(body)
			if err != nil {
				return false, pgerr.New(pgerr.ProtocolViolation, "invalid startup packet layout: %v", err)
			}
			var unknown []string
			for k := range p {
				if strings.HasPrefix(k, "_pq_.") {
					unknown = append(unknown, k)
				}
			}
			if minor := code & 0xffff; minor != 0 || len(unknown) > 0 {
				// We speak 3.0 and no protocol options: say so.
				c.w.send(&pgproto3.NegotiateProtocolVersion{NewestMinorProtocol: 0, UnrecognizedOptions: unknown})
			}
			params = p
		default:
			return false, pgerr.New(pgerr.FeatureNotSupported, "unsupported frontend protocol %d.%d: server supports 3.0", code>>16, code&0xffff)
		}
	}
	if c.srv.cfg.RequireTLS && !c.info.TLS {
		return false, pgerr.New(pgerr.InvalidAuthorizationSpec, "this server requires an encrypted connection").
			WithHint("Connect with sslmode=require (or stronger).")
	}
	user := params["user"]
	if user == "" {
		return false, pgerr.New(pgerr.InvalidAuthorizationSpec, "no PostgreSQL user name specified in startup packet")
	}
	database := params["database"]
	if database == "" {
		database = user
	}
	if enc, ok := params["client_encoding"]; ok && !isUTF8(enc) {
		return false, pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"client_encoding\": %q", enc).
			WithHint("Hotdata speaks UTF8 only: set client_encoding=UTF8.")
	}
	c.info.User, c.info.Database, c.info.Params, c.info.RemoteAddr, c.info.PID = user, database, params, c.nc.RemoteAddr(), c.pid
	c.log = c.log.With(logKeyUser, user, logKeyDB, database)
	c.rd = newReader(c.nc)
	c.rd.maxStatement = c.srv.cfg.MaxStatementBytes
	if err := c.authenticate(); err != nil {
		return false, err
	}
	if !c.srv.admit(c) {
		return false, pgerr.New(pgerr.TooManyConnections, "sorry, too many clients already")
	}
	sess, err := c.srv.cfg.Handler.Open(c.ctx, c.info)
	if err != nil {
		if e := pgerr.As(err); e != nil {
			c.log.Info("session refused", "code", e.Code, logKeyErr, e.Message)
			return false, e
		}
		c.log.Error("open session", logKeyErr, err)
		return false, pgerr.New(pgerr.InternalError, "internal error: could not open the session")
	}
	c.sess = sess
	if h, ok := sess.(ResetHooks); ok {
		h.SetResetHooks(c.deallocate, c.closeAll)
	}
	if h, ok := sess.(PortalHooks); ok {
		h.SetPortalLookup(c.lookupPortal)
	}
	for _, p := range c.parameterStatus() {
		c.w.send(&pgproto3.ParameterStatus{Name: p[0], Value: p[1]})
	}
	c.w.send(&pgproto3.BackendKeyData{ProcessID: c.pid, SecretKey: c.secret[:]})
	c.readyForQuery()
	c.log.Debug("session started", "tls", c.info.TLS)
	return true, c.w.flush()
}

// refuseTimeout bounds how long a refused connection is read from.
const refuseTimeout = 2 * time.Second

// refuse answers a connection that the handshake caps keep from starting
// up: it declines encryption, reads the start-up packet and sends err, so
// that the client reads the error rather than a reset of a socket closed
// with its packet unread. A CancelRequest is still honoured.
func (c *conn) refuse(err error) {
	_ = c.nc.SetDeadline(time.Now().Add(refuseTimeout))
	for range 3 {
		code, body, rerr := readStartupPacket(c.nc)
		if rerr != nil {
			return
		}
		switch code {
		case codeSSLRequest, codeGSSENCRequest:
			if _, werr := c.nc.Write([]byte{'N'}); werr != nil {
				return
			}
			continue
		case codeCancelRequest:
			if len(body) >= 8 {
				c.srv.cancelQuery(binary.BigEndian.Uint32(body[:4]), body[4:])
			}
			return
		}
		c.fatal(err)
		return
	}
}

// startTLS runs the TLS handshake and switches the connection to it.
func (c *conn) startTLS(raw net.Conn) error {
	tc := tls.Server(raw, c.srv.cfg.TLS)
	_ = tc.SetDeadline(time.Now().Add(c.srv.cfg.AuthTimeout))
	if err := tc.HandshakeContext(c.ctx); err != nil {
		return err
	}
	c.nc = tc
	c.w = newWriter(tc)
	c.info.TLS = true
	c.binding = c.srv.tlsBinding
	return nil
}

// isUTF8 matches encoding names as PostgreSQL does (clean_encoding_name:
// case and every character but letters and digits ignored), so that
// asyncpg's quoted 'utf-8' is UTF8.
func isUTF8(enc string) bool {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, enc)
	return clean == "utf8" || clean == "unicode"
}

// parameterStatus lists the run-time parameters PostgreSQL reports at
// start-up (src/backend/utils/misc/guc_tables.c, GUC_REPORT).
func (c *conn) parameterStatus() [][2]string {
	params := [][2]string{
		{"application_name", c.info.Params["application_name"]},
		{"client_encoding", "UTF8"},
		{"DateStyle", "ISO, MDY"},
		{"default_transaction_read_only", "on"},
		{"in_hot_standby", "off"},
		{"integer_datetimes", "on"},
		{"IntervalStyle", "postgres"},
		{"is_superuser", "off"},
		{"server_encoding", "UTF8"},
		{"server_version", c.srv.cfg.ServerVersion},
		{"session_authorization", c.info.User},
		{"standard_conforming_strings", "on"},
		{"TimeZone", "UTC"},
	}
	// The session's own values win (start-up options may set them).
	if r, ok := c.sess.(interface{ ReportedParameters() map[string]string }); ok {
		values := r.ReportedParameters()
		for i, p := range params {
			if v, ok := values[p[0]]; ok {
				params[i][1] = v
			}
		}
	}
	return params
}
