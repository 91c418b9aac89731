package workspace

import (
	"context"
	"errors"
	"time"

	"github.com/hotdata-dev/hotdata/metastore"
)

// API tokens of the caller. A token's text is shown once, when it is
// made; the metastore keeps its hash and its SCRAM verifier (pgwire).
// Revoking one stops it at once for REST and for new pgwire connections.

// TokenRequest describes a token to make.
type TokenRequest struct {
	Name string
	// Workspace (id or name), when set, limits the token to that workspace.
	Workspace string
	ExpiresAt *time.Time
}

const maxTokenName = 128

// CreateToken makes a token for p's member. A token limited to one
// workspace can only make tokens limited to the same workspace.
func (s *Service) CreateToken(ctx context.Context, p metastore.Principal, req TokenRequest) (metastore.Token, string, error) {
	if err := requireRole(p, metastore.RoleViewer, "creating tokens"); err != nil {
		return metastore.Token{}, "", err
	}
	if len(req.Name) > maxTokenName {
		return metastore.Token{}, "", invalid("name is %d characters; at most %d", len(req.Name), maxTokenName)
	}
	if req.ExpiresAt != nil && !req.ExpiresAt.After(time.Now()) {
		return metastore.Token{}, "", invalid("expires_at %s is not in the future", req.ExpiresAt.UTC().Format(time.RFC3339))
	}
	wsID := p.Token.WorkspaceID
	if req.Workspace != "" {
		// Workspace applies the caller's own scope: another workspace is not found.
		ws, err := s.Workspace(ctx, p, req.Workspace)
		if err != nil {
			return metastore.Token{}, "", err
		}
		wsID = ws.ID
	}
	tok, text, err := s.store.CreateToken(ctx, metastore.NewToken{MemberID: p.Member.ID, WorkspaceID: wsID, Name: req.Name, ExpiresAt: req.ExpiresAt})
	if err != nil {
		return tok, "", err
	}
	s.log.Info("token created", "token", tok.ID, "member", p.Member.ID, "workspace", wsID)
	return tok, text, nil
}

// ListTokens returns p's member's tokens, newest first, revoked and
// expired ones included.
func (s *Service) ListTokens(ctx context.Context, p metastore.Principal) ([]metastore.Token, error) {
	if err := requireRole(p, metastore.RoleViewer, "listing tokens"); err != nil {
		return nil, err
	}
	return s.store.ListTokens(ctx, p.Member.ID)
}

// GetToken returns one of p's member's tokens.
func (s *Service) GetToken(ctx context.Context, p metastore.Principal, id string) (metastore.Token, error) {
	if err := requireRole(p, metastore.RoleViewer, "reading tokens"); err != nil {
		return metastore.Token{}, err
	}
	t, err := s.store.GetToken(ctx, p.Member.ID, id)
	if errors.Is(err, metastore.ErrNotFound) {
		return t, notFound("token", id)
	}
	return t, err
}

// RevokeToken revokes one of p's member's tokens (the one in use too).
// Revoking a revoked token changes nothing.
func (s *Service) RevokeToken(ctx context.Context, p metastore.Principal, id string) (metastore.Token, error) {
	t, err := s.GetToken(ctx, p, id)
	if err != nil {
		return t, err
	}
	if t.RevokedAt != nil {
		return t, nil
	}
	if err := s.store.RevokeToken(ctx, p.Member.ID, id); err != nil && !errors.Is(err, metastore.ErrNotFound) {
		return t, err
	}
	s.log.Info("token revoked", "token", id, "member", p.Member.ID)
	return s.store.GetToken(ctx, p.Member.ID, id)
}

// TokenStatus says whether a token works: active, revoked or expired.
func TokenStatus(t metastore.Token, now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "revoked"
	case t.ExpiresAt != nil && !t.ExpiresAt.After(now):
		return "expired"
	}
	return "active"
}
