package workspace

import (
	"context"
	"errors"
	"fmt"

	"github.com/hotdata-dev/hotdata/metastore"
)

// Bootstrapped says what Bootstrap did.
type Bootstrapped struct {
	// Created is true on the first start, when everything was made.
	Created      bool
	Organization metastore.Organization
	Workspace    metastore.Workspace
	Member       metastore.Member
	// Token is the admin token's text when one was made now, else "".
	Token string
}

// Default names made on first start.
const (
	DefaultOrganization = "default"
	DefaultWorkspace    = "default"
	DefaultAdmin        = "admin"
)

// Bootstrap makes organization "default", its owner "admin", workspace
// "default" and an admin token on a metastore with no organization.
// fixedToken, when set, is used as the token's text (HOTDATA_BOOTSTRAP_TOKEN);
// on an existing install it is added to the default owner if it does not
// work yet, so automation can rely on it.
func Bootstrap(ctx context.Context, store *metastore.Store, fixedToken string) (Bootstrapped, error) {
	var b Bootstrapped
	if fixedToken != "" && len(fixedToken) < 20 {
		return b, errors.New("HOTDATA_BOOTSTRAP_TOKEN must be at least 20 characters")
	}
	orgs, err := store.ListOrganizations(ctx)
	if err != nil {
		return b, fmt.Errorf("bootstrap: %w", err)
	}
	if len(orgs) == 0 {
		org, err := store.CreateOrganization(ctx, DefaultOrganization)
		if errors.Is(err, metastore.ErrConflict) {
			// Another process bootstrapped at the same moment.
			return Bootstrap(ctx, store, fixedToken)
		}
		if err != nil {
			return b, fmt.Errorf("bootstrap: %w", err)
		}
		b.Created, b.Organization = true, org
		if b.Member, err = store.CreateMember(ctx, org.ID, DefaultAdmin, "", metastore.RoleOwner); err != nil {
			return b, fmt.Errorf("bootstrap: %w", err)
		}
		if b.Workspace, err = store.CreateWorkspace(ctx, org.ID, DefaultWorkspace, metastore.Limits{}); err != nil {
			return b, fmt.Errorf("bootstrap: %w", err)
		}
		if _, b.Token, err = store.CreateToken(ctx, metastore.NewToken{MemberID: b.Member.ID, Name: "bootstrap admin token", Text: fixedToken}); err != nil {
			return b, fmt.Errorf("bootstrap: %w", err)
		}
		return b, nil
	}
	org, err := store.GetOrganizationByName(ctx, DefaultOrganization)
	if err != nil {
		org = orgs[0]
	}
	b.Organization = org
	if ws, err := store.FindWorkspace(ctx, org.ID, DefaultWorkspace); err == nil {
		b.Workspace = ws
	}
	if fixedToken == "" {
		return b, nil
	}
	if _, err := store.AuthenticateToken(ctx, fixedToken); err == nil {
		return b, nil
	}
	members, err := store.ListMembers(ctx, org.ID)
	if err != nil {
		return b, fmt.Errorf("bootstrap: %w", err)
	}
	for _, m := range members {
		if m.Role == metastore.RoleOwner {
			b.Member = m
			_, b.Token, err = store.CreateToken(ctx, metastore.NewToken{MemberID: m.ID, Name: "bootstrap admin token", Text: fixedToken})
			if err != nil && !errors.Is(err, metastore.ErrConflict) {
				return b, fmt.Errorf("bootstrap: %w", err)
			}
			return b, nil
		}
	}
	return b, errors.New("bootstrap: the default organization has no owner to give HOTDATA_BOOTSTRAP_TOKEN to")
}
