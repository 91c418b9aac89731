package connectors

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/hotdata-dev/hotdata/connectors/egress"
)

// ConnectTimeout bounds connecting to a source: resolving, dialing, TLS
// and logging in.
const ConnectTimeout = 10 * time.Second

// ConnectError is a source that could not be reached or logged into.
//
// Its message must not tell a port scan what it found: unless the source
// answered in its own protocol (Answered: it refused the login, or asked
// for the password in clear text), Error says only Unreachable, whether
// nothing listened, nothing answered in time, the name did not resolve,
// the egress policy refused the address or another protocol answered.
// Detail says which, without secrets, for logs and administrators; Err
// is the driver's own error.
type ConnectError struct {
	// Addr is host:port.
	Addr   string
	Reason string
	Err    error
	// Answered is true when the source spoke its protocol and refused:
	// Reason is then safe to show to anyone who may use the connection.
	Answered bool
}

// Unreachable is what a ConnectError says of a source that did not answer
// in its protocol.
const Unreachable = "could not connect to the upstream"

func (e *ConnectError) Error() string {
	if !e.Answered {
		return "cannot connect to " + e.Addr + ": " + Unreachable
	}
	return e.Detail()
}

// Detail is the message with the reason, for logs and administrators.
func (e *ConnectError) Detail() string { return "cannot connect to " + e.Addr + ": " + e.Reason }
func (e *ConnectError) Unwrap() error  { return e.Err }

// Detail is err's message with the reason of a ConnectError it wraps
// spelled out (see ConnectError.Detail): for logs and administrators,
// never for members.
func Detail(err error) string {
	if err == nil {
		return ""
	}
	var ce *ConnectError
	if !errors.As(err, &ce) || ce.Answered {
		return err.Error()
	}
	return strings.Replace(err.Error(), ce.Error(), ce.Detail(), 1)
}

// NetworkReason says in a few words why err, met while connecting,
// happened: a timeout, a refused connection, a name that does not
// resolve, an unreachable host, a closed connection, a certificate. ok
// is false for other errors.
func NetworkReason(err error) (reason string, ok bool) {
	var dns *net.DNSError
	var cert *x509.CertificateInvalidError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var netErr net.Error
	switch {
	case err == nil:
		return "", false
	case errors.Is(err, egress.ErrDenied):
		var de *egress.DeniedError
		errors.As(err, &de)
		return de.Error(), true
	case errors.As(err, &dns):
		if dns.IsTimeout {
			return fmt.Sprintf("looking up host %q timed out", dns.Name), true
		}
		return fmt.Sprintf("cannot resolve host %q: %s", dns.Name, dns.Err), true
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Sprintf("timed out after %s (is the host reachable, and the port open to Hotdata?)", ConnectTimeout), true
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused (is the server running, and listening on that port?)", true
	case errors.Is(err, syscall.EHOSTUNREACH):
		return "no route to host", true
	case errors.Is(err, syscall.ENETUNREACH):
		return "network unreachable", true
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the server closed the connection", true
	case errors.As(err, &cert), errors.As(err, &unknownAuthority), errors.As(err, &hostname):
		return "TLS certificate not accepted: " + err.Error(), true
	}
	return "", false
}
