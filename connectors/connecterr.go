package connectors

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"
)

// ConnectTimeout bounds connecting to a source: resolving, dialing, TLS
// and logging in.
const ConnectTimeout = 10 * time.Second

// ConnectError is a source that could not be reached or logged into. Its
// message says what happened, without secrets; Err is the driver's own
// error.
type ConnectError struct {
	// Addr is host:port.
	Addr   string
	Reason string
	Err    error
}

func (e *ConnectError) Error() string { return "cannot connect to " + e.Addr + ": " + e.Reason }
func (e *ConnectError) Unwrap() error { return e.Err }

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
