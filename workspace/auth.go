package workspace

import (
	"context"
	"errors"
	"fmt"

	"github.com/hotdata-dev/hotdata/metastore"
)

// Authenticate returns the principal of a token's text.
func (s *Service) Authenticate(ctx context.Context, token string) (metastore.Principal, error) {
	p, err := s.store.AuthenticateToken(ctx, token)
	if errors.Is(err, metastore.ErrNotFound) {
		return p, newError(KindUnauthorized, "UNAUTHENTICATED", "the token is not valid: it is unknown, revoked or expired")
	}
	if err != nil {
		return p, fmt.Errorf("authenticate: %w", err)
	}
	return p, nil
}

// Workspace returns the workspace ref (id or name) names for p. A
// workspace of another organization, or outside the token's scope, is
// reported as not found, never as forbidden, so that its existence does
// not leak.
func (s *Service) Workspace(ctx context.Context, p metastore.Principal, ref string) (metastore.Workspace, error) {
	ws, err := s.store.FindWorkspace(ctx, p.Member.OrgID, ref)
	if errors.Is(err, metastore.ErrNotFound) || err == nil && p.Token.WorkspaceID != "" && p.Token.WorkspaceID != ws.ID {
		return metastore.Workspace{}, notFound("workspace", ref)
	}
	if err != nil {
		return ws, fmt.Errorf("find workspace: %w", err)
	}
	if ws.Status == metastore.WorkspaceDeleting {
		return metastore.Workspace{}, notFound("workspace", ref)
	}
	return ws, nil
}

// requireRole fails with KindForbidden when p's role ranks below want.
func requireRole(p metastore.Principal, want metastore.Role, action string) error {
	if p.Member.Role.Rank() < want.Rank() {
		return newError(KindForbidden, "FORBIDDEN", "%s needs the %s role; this token's member is %s", action, want, p.Member.Role)
	}
	return nil
}

// requireOrgWide refuses tokens limited to one workspace for changes to
// the organization itself (its name, members, workspaces): such a token
// must not reach beyond its workspace.
func requireOrgWide(p metastore.Principal, action string) error {
	if p.Token.WorkspaceID != "" {
		return newError(KindForbidden, "FORBIDDEN", "%s needs an organization-wide token; this token is limited to workspace %s", action, p.Token.WorkspaceID)
	}
	return nil
}
