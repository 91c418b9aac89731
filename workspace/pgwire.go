package workspace

import (
	"context"
	"errors"
	"fmt"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/internal/scram"
	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/wire"
)

// PgHandler adapts the service to the wire server.
type PgHandler struct{ svc *Service }

var _ wire.Handler = (*PgHandler)(nil)

// PgHandler returns the wire.Handler of this service.
func (s *Service) PgHandler() *PgHandler { return &PgHandler{svc: s} }

// Credentials lists the SCRAM verifiers of the active tokens that may
// log in as user to database (metastore.SCRAMCandidates).
func (h *PgHandler) Credentials(ctx context.Context, user, database string) (wire.Credentials, error) {
	params, err := h.svc.store.SCRAMParams(ctx)
	if err != nil {
		return wire.Credentials{}, err
	}
	creds, err := h.svc.store.SCRAMCandidates(ctx, user, database)
	if err != nil {
		return wire.Credentials{}, err
	}
	out := wire.Credentials{Salt: params.Salt, Iterations: params.Iterations,
		Keys: make([]scram.Keys, len(creds)), IDs: make([]string, len(creds))}
	for i, c := range creds {
		out.Keys[i] = scram.Keys(c.Keys)
		out.IDs[i] = c.TokenID
	}
	return out, nil
}

// Open starts a session on the workspace named by the database parameter.
func (h *PgHandler) Open(ctx context.Context, info wire.StartupInfo) (wire.Session, error) {
	// Read before the principal: a change after it bumps past this.
	authVersion, err := h.svc.store.AuthVersion(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("load auth version: %w", err)
	}
	p, err := h.svc.store.PrincipalByTokenID(ctx, info.CredentialID)
	if errors.Is(err, metastore.ErrNotFound) {
		// Revoked between the SCRAM exchange and now.
		return nil, pgerr.New(pgerr.InvalidPassword, "password authentication failed for user %q", info.User)
	}
	if err != nil {
		return nil, fmt.Errorf("load principal: %w", err)
	}
	ws, err := h.svc.Workspace(ctx, p, info.Database)
	if e := AsError(err); e != nil && e.Kind == KindNotFound {
		return nil, pgerr.New(pgerr.InvalidCatalogName, "database %q does not exist", info.Database).
			WithHint("The database name is the name or id of a workspace your token can use (GET /v1/workspaces lists them).")
	}
	if err != nil {
		return nil, err
	}
	if ws.Status == metastore.WorkspaceSuspended && !ws.AutoResume {
		// Like a PostgreSQL database that does not allow connections.
		return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "database %q is suspended: it does not accept connections until it is resumed", info.Database).
			WithHint("Resume it with POST /v1/workspaces/%s/resume, or set its auto_resume so that queries resume it.", ws.ID)
	}
	sess, err := h.svc.NewSession(ctx, p, ws, info.User, SourcePgwire, info.Params)
	if e := AsError(err); e != nil {
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "%s", e.Message)
	}
	if err != nil {
		return nil, err
	}
	release, err := h.svc.admitSession(ws)
	if err != nil {
		return nil, err
	}
	sess.release = release
	sess.pid = int32(info.PID)
	sess.authVersion = authVersion
	if err := h.svc.store.TouchToken(ctx, p.Token.ID); err != nil {
		h.svc.log.Warn("record token use", "token", p.Token.ID, "err", err)
	}
	return sess, nil
}

// CheckPassword finds the active token whose text is password (cleartext
// authentication over TLS).
func (h *PgHandler) CheckPassword(ctx context.Context, password string) (string, error) {
	p, err := h.svc.store.AuthenticateToken(ctx, password)
	if errors.Is(err, metastore.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return p.Token.ID, nil
}
