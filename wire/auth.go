package wire

import (
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/metrics"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/internal/scram"
)

// authenticate runs SCRAM-SHA-256 (or -PLUS over TLS; RFC 5802 as
// PostgreSQL uses it, "SASL Authentication" in the protocol chapter), or a
// cleartext password when the server allows it and the connection is TLS.
func (c *conn) authenticate() error {
	authFailed := pgerr.New(pgerr.InvalidPassword, "password authentication failed for user %q", c.info.User).
		WithHint("The password is an API token, and the database the name or id of a workspace the token can open.")
	limiter := c.srv.limiter
	addr, user := c.addrKey, c.info.User
	// Past the limit, refuse without looking at the credential.
	checkLimit := func() error {
		retry, ok := limiter.Check(addr, user)
		if ok {
			return nil
		}
		secs := int(retry.Round(time.Second) / time.Second)
		metrics.AuthFailure("pgwire", true)
		c.log.Info("authentication refused: too many failures", "retry_in", retry)
		return pgerr.New(pgerr.InvalidPassword, "too many failed authentication attempts from this address or for user %q: try again in %d s", user, max(secs, 1))
	}
	fail := func(reason string, err error) error {
		delay := limiter.Failure(addr, user)
		metrics.AuthFailure("pgwire", false)
		c.log.Info("authentication failed", "reason", reason, logKeyErr, err, "delay", delay)
		if delay > 0 {
			// Slow down guessing from this address or for this user.
			select {
			case <-time.After(delay):
			case <-c.ctx.Done():
			}
		}
		return authFailed
	}
	if err := checkLimit(); err != nil {
		return err
	}

	if c.info.TLS && c.srv.cfg.AllowCleartext {
		c.w.send(&pgproto3.AuthenticationCleartextPassword{})
		if err := c.w.flush(); err != nil {
			return err
		}
		msg, err := c.rd.receiveAuth(pgproto3.AuthTypeCleartextPassword)
		if err != nil {
			return err
		}
		// Failures of other connections may have reached the limit since.
		if err := checkLimit(); err != nil {
			return err
		}
		id, err := c.srv.cfg.Handler.CheckPassword(c.ctx, msg.(*pgproto3.PasswordMessage).Password)
		if err != nil {
			return authUnavailable(c, "check password", err)
		}
		if id == "" {
			return fail("no token matches the password", nil)
		}
		c.info.CredentialID = id
		c.w.send(&pgproto3.AuthenticationOk{})
		return nil
	}

	mechanisms := []string{scram.SHA256}
	if c.binding != nil {
		mechanisms = []string{scram.SHA256Plus, scram.SHA256}
	}
	c.w.send(&pgproto3.AuthenticationSASL{AuthMechanisms: mechanisms})
	if err := c.w.flush(); err != nil {
		return err
	}
	msg, err := c.rd.receiveAuth(pgproto3.AuthTypeSASL)
	if err != nil {
		return err
	}
	initial := msg.(*pgproto3.SASLInitialResponse)
	if initial.AuthMechanism != scram.SHA256 && !(initial.AuthMechanism == scram.SHA256Plus && c.binding != nil) {
		return pgerr.New(pgerr.ProtocolViolation, "client selected an invalid SASL authentication mechanism")
	}
	creds, err := c.srv.cfg.Handler.Credentials(c.ctx, c.info.User, c.info.Database)
	if err != nil {
		return authUnavailable(c, "load credentials", err)
	}
	ex := &scram.Exchange{Salt: creds.Salt, Iterations: creds.Iterations, Binding: c.binding}
	serverFirst, err := ex.ClientFirst(initial.AuthMechanism, initial.Data)
	if err != nil {
		if errors.Is(err, scram.ErrBinding) {
			return fail("channel binding downgrade", err)
		}
		return pgerr.Wrap(err, pgerr.ProtocolViolation, "malformed SCRAM message")
	}
	c.w.send(&pgproto3.AuthenticationSASLContinue{Data: []byte(serverFirst)})
	if err := c.w.flush(); err != nil {
		return err
	}
	msg, err = c.rd.receiveAuth(pgproto3.AuthTypeSASLContinue)
	if err != nil {
		return err
	}
	if err := checkLimit(); err != nil {
		return err
	}
	idx, serverFinal, err := ex.ClientFinal(msg.(*pgproto3.SASLResponse).Data, creds.Keys)
	switch {
	case errors.Is(err, scram.ErrBadProof):
		return fail("no token matches the password", nil)
	case errors.Is(err, scram.ErrBinding):
		return fail("channel binding mismatch", err)
	case err != nil:
		return pgerr.Wrap(err, pgerr.ProtocolViolation, "malformed SCRAM message")
	}
	c.info.CredentialID = creds.IDs[idx]
	c.w.send(&pgproto3.AuthenticationSASLFinal{Data: []byte(serverFinal)})
	c.w.send(&pgproto3.AuthenticationOk{})
	return nil
}

// authUnavailable logs why credentials could not be checked and returns
// the error to end the start-up with: 57P03 when what they are kept in
// cannot be reached (the client may try again shortly), else an
// internal error.
func authUnavailable(c *conn, what string, err error) error {
	if e := pgerr.As(err); e != nil && e.Code == pgerr.CannotConnectNow {
		c.log.Warn(what, logKeyErr, err)
		return pgerr.New(pgerr.CannotConnectNow, "%s", e.Message)
	}
	c.log.Error(what, logKeyErr, err)
	return pgerr.New(pgerr.InternalError, "internal error: authentication is unavailable")
}
