package workspace

import (
	"context"
	"errors"
	"regexp"

	"github.com/hotdata-dev/hotdata/metastore"
)

// A token acts for one member of one organization: it sees that
// organization only. Another organization is reported as not found.

// orgNamePattern is the rule for organization names (install-wide unique).
var orgNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

func checkOrgName(name string) error {
	if !orgNamePattern.MatchString(name) {
		return invalid("name %q is not valid: use 1 to 63 lower-case letters, digits, '_' and '-', starting with a letter or digit", name)
	}
	return nil
}

// organization returns p's organization when ref is its id or name.
func (s *Service) organization(ctx context.Context, p metastore.Principal, ref string) (metastore.Organization, error) {
	org, err := s.store.GetOrganization(ctx, p.Member.OrgID)
	if errors.Is(err, metastore.ErrNotFound) || err == nil && ref != org.ID && ref != org.Name {
		return metastore.Organization{}, notFound("organization", ref)
	}
	return org, err
}

// OrganizationCreated is the outcome of CreateOrganization.
type OrganizationCreated struct {
	Organization metastore.Organization
	// Owner is the new organization's first member, named like the caller.
	Owner metastore.Member
	// Token is the owner's first token; TokenText is shown only now.
	Token     metastore.Token
	TokenText string
}

// CreateOrganization makes a new organization. Members belong to one
// organization, so the caller's token cannot act in it: its owner is a new
// member with the caller's name and email, and the answer carries that
// owner's first token.
func (s *Service) CreateOrganization(ctx context.Context, p metastore.Principal, name string) (OrganizationCreated, error) {
	var out OrganizationCreated
	if err := requireRole(p, metastore.RoleAdmin, "creating an organization"); err != nil {
		return out, err
	}
	if err := requireOrgWide(p, "creating an organization"); err != nil {
		return out, err
	}
	if err := checkOrgName(name); err != nil {
		return out, err
	}
	org, err := s.store.CreateOrganization(ctx, name)
	if errors.Is(err, metastore.ErrConflict) {
		return out, conflict("an organization named %q already exists: choose another name", name)
	}
	if err != nil {
		return out, err
	}
	undo := func() {
		if err := s.store.DeleteOrganization(context.WithoutCancel(ctx), org.ID); err != nil {
			s.log.Warn("undo organization creation", "organization", org.ID, "err", err)
		}
	}
	owner, err := s.store.CreateMember(ctx, org.ID, p.Member.Name, p.Member.Email, metastore.RoleOwner)
	if err != nil {
		undo()
		return out, err
	}
	tok, text, err := s.store.CreateToken(ctx, metastore.NewToken{MemberID: owner.ID, Name: "owner token of " + name})
	if err != nil {
		undo()
		return out, err
	}
	s.log.Info("organization created", "organization", org.ID, "name", name, "by_member", p.Member.ID)
	return OrganizationCreated{Organization: org, Owner: owner, Token: tok, TokenText: text}, nil
}

// ListOrganizations returns the organizations p can see: its own.
func (s *Service) ListOrganizations(ctx context.Context, p metastore.Principal) ([]metastore.Organization, error) {
	if err := requireRole(p, metastore.RoleViewer, "listing organizations"); err != nil {
		return nil, err
	}
	org, err := s.store.GetOrganization(ctx, p.Member.OrgID)
	if err != nil {
		return nil, err
	}
	return []metastore.Organization{org}, nil
}

// GetOrganization returns p's organization by id or name.
func (s *Service) GetOrganization(ctx context.Context, p metastore.Principal, ref string) (metastore.Organization, error) {
	if err := requireRole(p, metastore.RoleViewer, "reading an organization"); err != nil {
		return metastore.Organization{}, err
	}
	return s.organization(ctx, p, ref)
}

// RenameOrganization changes the name of p's organization.
func (s *Service) RenameOrganization(ctx context.Context, p metastore.Principal, ref, name string) (metastore.Organization, error) {
	org, err := s.organization(ctx, p, ref)
	if err != nil {
		return org, err
	}
	if err := requireRole(p, metastore.RoleAdmin, "renaming an organization"); err != nil {
		return org, err
	}
	if err := requireOrgWide(p, "renaming an organization"); err != nil {
		return org, err
	}
	if err := checkOrgName(name); err != nil {
		return org, err
	}
	if name == org.Name {
		return org, nil
	}
	out, err := s.store.RenameOrganization(ctx, org.ID, name)
	if errors.Is(err, metastore.ErrConflict) {
		return org, conflict("an organization named %q already exists: choose another name", name)
	}
	return out, err
}

// DeleteOrganization removes p's organization with everything in it:
// members and their tokens, workspaces with their records and files.
// Only an owner may.
func (s *Service) DeleteOrganization(ctx context.Context, p metastore.Principal, ref string) (metastore.Organization, error) {
	org, err := s.organization(ctx, p, ref)
	if err != nil {
		return org, err
	}
	if err := requireRole(p, metastore.RoleOwner, "deleting an organization"); err != nil {
		return org, err
	}
	if err := requireOrgWide(p, "deleting an organization"); err != nil {
		return org, err
	}
	list, err := s.store.ListWorkspaces(ctx, org.ID)
	if err != nil {
		return org, err
	}
	for _, ws := range list {
		if _, err := s.store.SetWorkspaceStatus(ctx, ws.ID, metastore.WorkspaceDeleting); err != nil && !errors.Is(err, metastore.ErrNotFound) {
			return org, err
		}
		s.releaseWorkspace(ctx, ws.ID)
	}
	if err := s.store.DeleteOrganization(context.WithoutCancel(ctx), org.ID); err != nil {
		for _, ws := range list {
			if _, rerr := s.store.SetWorkspaceStatus(context.WithoutCancel(ctx), ws.ID, ws.Status); rerr != nil {
				s.log.Warn("restore workspace status after a failed delete", "workspace", ws.ID, "err", rerr)
			}
		}
		return org, err
	}
	for _, ws := range list {
		if err := s.purgeWorkspaceFiles(ws.ID); err != nil {
			s.log.Warn("remove workspace folder", "workspace", ws.ID, "err", err)
		}
	}
	s.log.Info("organization deleted", "organization", org.ID, "name", org.Name, "workspaces", len(list), "member", p.Member.ID)
	return org, nil
}
