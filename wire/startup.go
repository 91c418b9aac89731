package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/internal/scram"
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
	var hdr [8]byte
	if _, err := io.ReadFull(r, hdr[:4]); err != nil {
		return 0, nil, err
	}
	n := int(int32(binary.BigEndian.Uint32(hdr[:4])))
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

// startup negotiates the connection, authenticates and opens the session.
// It returns false (and no error) when the connection is done without a
// session, as after a CancelRequest.
func (c *conn) startup() (bool, error) {
	var params map[string]string
	for params == nil {
		code, body, err := readStartupPacket(c.nc)
		if err != nil {
			return false, err
		}
		switch {
		case code == codeSSLRequest || code == codeGSSENCRequest:
			// Neither TLS nor GSSAPI encryption is offered (yet): 'N'
			// tells the client to go on in the clear.
			if _, err := c.nc.Write([]byte{'N'}); err != nil {
				return false, err
			}
		case code == codeCancelRequest:
			if len(body) < 8 {
				return false, pgerr.New(pgerr.ProtocolViolation, "invalid cancel request")
			}
			c.srv.cancelQuery(binary.BigEndian.Uint32(body[:4]), body[4:8])
			return false, nil
		case code>>16 == protocolMajor3:
			p, err := parseStartupParams(body)
			if err != nil {
				return false, pgerr.New(pgerr.ProtocolViolation, "invalid startup packet layout: %v", err)
			}
			if minor := code & 0xffff; minor != 0 {
				// We speak 3.0: say so and ignore protocol options.
				var unknown []string
				for k := range p {
					if strings.HasPrefix(k, "_pq_.") {
						unknown = append(unknown, k)
					}
				}
				c.w.send(&pgproto3.NegotiateProtocolVersion{NewestMinorProtocol: 0, UnrecognizedOptions: unknown})
			}
			params = p
		default:
			return false, pgerr.New(pgerr.FeatureNotSupported, "unsupported frontend protocol %d.%d: server supports 3.0", code>>16, code&0xffff)
		}
	}
	user := params["user"]
	if user == "" {
		return false, pgerr.New(pgerr.InvalidAuthorizationSpec, "no PostgreSQL user name specified in startup packet")
	}
	database := params["database"]
	if database == "" {
		database = user
	}
	c.info = StartupInfo{User: user, Database: database, Params: params, RemoteAddr: c.nc.RemoteAddr()}
	c.log = c.log.With(logKeyUser, user, logKeyDB, database)

	c.be = pgproto3.NewBackend(c.nc, io.Discard)
	c.be.SetMaxBodyLen(maxMessageLen)
	if err := c.authenticate(); err != nil {
		return false, err
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
	for _, p := range c.parameterStatus() {
		c.w.send(&pgproto3.ParameterStatus{Name: p[0], Value: p[1]})
	}
	c.w.send(&pgproto3.BackendKeyData{ProcessID: c.pid, SecretKey: c.secret[:]})
	c.readyForQuery()
	c.log.Debug("session started")
	return true, c.w.flush()
}

// parameterStatus lists the run-time parameters PostgreSQL reports at
// start-up (src/backend/utils/misc/guc_tables.c, GUC_REPORT).
func (c *conn) parameterStatus() [][2]string {
	return [][2]string{
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
}

// authenticate runs SCRAM-SHA-256 (RFC 5802 as PostgreSQL uses it, see
// "SASL Authentication" in the protocol chapter).
func (c *conn) authenticate() error {
	authFailed := pgerr.New(pgerr.InvalidPassword, "password authentication failed for user %q", c.info.User)
	c.w.send(&pgproto3.AuthenticationSASL{AuthMechanisms: []string{scram.SHA256}})
	if err := c.w.flush(); err != nil {
		return err
	}
	if err := c.be.SetAuthType(pgproto3.AuthTypeSASL); err != nil {
		return err
	}
	msg, err := c.be.Receive()
	if err != nil {
		return err
	}
	initial, ok := msg.(*pgproto3.SASLInitialResponse)
	if !ok {
		return pgerr.New(pgerr.ProtocolViolation, "expected SASL response, got %T", msg)
	}
	if initial.AuthMechanism != scram.SHA256 {
		return pgerr.New(pgerr.ProtocolViolation, "client selected an invalid SASL authentication mechanism")
	}
	creds, err := c.srv.cfg.Handler.Credentials(c.ctx)
	if err != nil {
		c.log.Error("load credentials", logKeyErr, err)
		return pgerr.New(pgerr.InternalError, "internal error: authentication is unavailable")
	}
	ex := &scram.Exchange{Salt: creds.Salt, Iterations: creds.Iterations}
	serverFirst, err := ex.ClientFirst(initial.AuthMechanism, initial.Data)
	if err != nil {
		return pgerr.Wrap(err, pgerr.ProtocolViolation, "malformed SCRAM message")
	}
	c.w.send(&pgproto3.AuthenticationSASLContinue{Data: []byte(serverFirst)})
	if err := c.w.flush(); err != nil {
		return err
	}
	if err := c.be.SetAuthType(pgproto3.AuthTypeSASLContinue); err != nil {
		return err
	}
	msg, err = c.be.Receive()
	if err != nil {
		return err
	}
	resp, ok := msg.(*pgproto3.SASLResponse)
	if !ok {
		return pgerr.New(pgerr.ProtocolViolation, "expected SASL response, got %T", msg)
	}
	idx, serverFinal, err := ex.ClientFinal(resp.Data, creds.Keys)
	switch {
	case errors.Is(err, scram.ErrBadProof):
		c.log.Info("authentication failed: no token matches the password")
		return authFailed
	case err != nil:
		c.log.Info("authentication failed", logKeyErr, err)
		return authFailed
	}
	c.info.CredentialID = creds.IDs[idx]
	c.w.send(&pgproto3.AuthenticationSASLFinal{Data: []byte(serverFinal)})
	c.w.send(&pgproto3.AuthenticationOk{})
	return nil
}
