package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"net"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/connectors/egress"
	"github.com/hotdata-dev/hotdata/metastore"
)

// Egress is the network policy of connections (connectors/egress.Dialer).
// Check returns an error wrapping egress.ErrDenied for a host the policy
// refuses now, nil otherwise (also for a name that does not resolve: the
// dial decides); DialContext makes every connection of every connector.
type Egress interface {
	Check(ctx context.Context, host string) error
	DialContext(ctx context.Context, network, addr string) (net.Conn, error)
}

// connectorEnv is what every connector opens with.
func (s *Service) connectorEnv() connectors.Env {
	if s.cfg.Egress == nil {
		return connectors.Env{}
	}
	return connectors.Env{Dial: s.cfg.Egress.DialContext}
}

// checkEgress refuses an endpoint (host:port) the egress policy denies.
func (s *Service) checkEgress(ctx context.Context, endpoint string) error {
	if s.cfg.Egress == nil || endpoint == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(endpoint)
	if err != nil {
		host = endpoint
	}
	if err := s.cfg.Egress.Check(ctx, host); err != nil {
		if errors.Is(err, egress.ErrDenied) {
			return &Error{Kind: KindUnprocessable, Code: "EGRESS_DENIED",
				Message: "host " + host + " is not an allowed destination for connections on this server (its egress policy: HOTDATA_EGRESS_ALLOW, HOTDATA_EGRESS_DENY)", Err: err}
		}
		return err
	}
	return nil
}

// Secrets are bound to hosts. A secret's value reaches only the
// endpoints (host:port) of the connections that use it: the one it was
// made for (an inline password) and those an admin attached it to. A
// member may attach it to another connection of the same endpoint, not
// to a new one: that would send an admin's password to a server the
// member chose. Admins and owners may attach any secret anywhere.
//
// The binding is more than host:port (connectors.BindingOf): the same
// source type, and the same transport settings, so that a member cannot
// send a secret made for one protocol to a server speaking another on
// that port, or to the same server without TLS.
func (s *Service) checkSecretBinding(ctx context.Context, p metastore.Principal, ws metastore.Workspace, sec metastore.Secret, sourceType string, config json.RawMessage, endpoint string) error {
	if p.Member.Role.Rank() >= metastore.RoleAdmin.Rank() {
		return nil
	}
	typ, ok := s.registry.Get(sourceType)
	if !ok {
		return nil
	}
	binding, err := connectors.BindingOf(typ, config)
	if err != nil || binding == "" {
		return err
	}
	conns, err := s.store.ListConnections(ctx, ws.ID)
	if err != nil {
		return err
	}
	for _, c := range conns {
		if c.SecretID != sec.ID || c.SourceType != sourceType {
			continue
		}
		if b, err := connectors.BindingOf(typ, c.Config); err == nil && b == binding {
			return nil
		}
	}
	return newError(KindForbidden, "FORBIDDEN",
		"using secret %q with %s needs the admin role: a member may use a secret only with connections of the same type, host, port and transport settings (TLS, clear-text passwords) as those it already serves", sec.Name, endpoint)
}

// upstreamErrorText is how an upstream's failure reads to p: an admin
// (or the log) gets the reason a connection failed, others only that it
// could not connect, whatever answered (connectors.ConnectError).
func upstreamErrorText(p metastore.Principal, err error) string {
	if p.Member.Role.Rank() >= metastore.RoleAdmin.Rank() {
		return connectors.Detail(err)
	}
	return err.Error()
}
