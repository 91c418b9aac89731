package workspace

import (
	"context"
	"errors"
	"time"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/metastore"
)

// authPoll bounds how long a revocation made through another node may
// take to reach this node's sessions (one metastore read per authPoll at
// most; a change made through this node is seen at once).
const authPoll = time.Second

// checkPrincipal re-checks a pgwire session's principal before a
// statement: its token still active and unexpired, its member still in
// the organization, its role (changes apply from the next statement).
// REST requests authenticate each request and skip it. A principal that
// no longer holds ends the session with a FATAL error naming why.
func (ss *Session) checkPrincipal(ctx context.Context) error {
	if ss.source != SourcePgwire {
		return nil
	}
	p := ss.principal
	if p.Token.ExpiresAt != nil && !time.Now().Before(*p.Token.ExpiresAt) {
		return sessionEnded("its token expired")
	}
	v, err := ss.svc.store.AuthVersion(ctx, authPoll)
	if err != nil {
		return err
	}
	if v == ss.authVersion {
		return nil
	}
	np, err := ss.svc.store.PrincipalByTokenID(ctx, p.Token.ID)
	if errors.Is(err, metastore.ErrNotFound) {
		return sessionEnded(ss.svc.whyInvalid(ctx, p.Token.ID))
	}
	if err != nil {
		return err
	}
	if err := requireRole(np, metastore.RoleViewer, "querying"); err != nil {
		return sessionEnded("its member's role no longer allows querying")
	}
	if np.Token.WorkspaceID != "" && np.Token.WorkspaceID != ss.ws.ID {
		return sessionEnded("its token no longer reaches this workspace")
	}
	ss.principal, ss.authVersion = np, v
	return nil
}

// whyInvalid tells why a token no longer authenticates.
func (s *Service) whyInvalid(ctx context.Context, tokenID string) string {
	t, err := s.store.TokenByID(ctx, tokenID)
	switch {
	case errors.Is(err, metastore.ErrNotFound):
		// Tokens go with their member, organization or workspace.
		return "its member was removed from the organization"
	case err != nil:
		return "its token is no longer valid"
	case t.RevokedAt != nil:
		return "its token was revoked"
	case t.ExpiresAt != nil && !time.Now().Before(*t.ExpiresAt):
		return "its token expired"
	}
	return "its token is no longer valid"
}

// sessionEnded is the FATAL error that ends a session whose credential
// stopped working (SQLSTATE 28000, invalid_authorization_specification).
func sessionEnded(why string) error {
	e := pgerr.New(pgerr.InvalidAuthorizationSpec, "terminating connection because %s", why)
	e.Severity = pgerr.SeverityFatal
	return e
}
