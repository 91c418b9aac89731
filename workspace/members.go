package workspace

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/hotdata-dev/hotdata/metastore"
)

// Members and roles. Admins manage members; only an owner may make,
// change or remove an owner, and an organization always keeps one.
// Removing a member deletes its tokens, so they stop working at once,
// for REST and for new pgwire connections alike.

var memberNamePattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.@+-]{0,127}$`)

func checkEmail(email string) error {
	at := strings.IndexByte(email, '@')
	if len(email) > 254 || at < 1 || at != strings.LastIndexByte(email, '@') || at == len(email)-1 || strings.ContainsAny(email, " \t\r\n<>,;\"") {
		return invalid("email %q is not a valid address", email)
	}
	return nil
}

func parseRole(role string) (metastore.Role, error) {
	r := metastore.Role(role)
	if !r.Valid() {
		return r, invalid("role %q is not valid: use owner, admin, member or viewer", role)
	}
	return r, nil
}

// ListMembers returns the members of p's organization, oldest first.
func (s *Service) ListMembers(ctx context.Context, p metastore.Principal, orgRef string) ([]metastore.Member, error) {
	org, err := s.organization(ctx, p, orgRef)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, metastore.RoleViewer, "listing members"); err != nil {
		return nil, err
	}
	return s.store.ListMembers(ctx, org.ID)
}

// GetMember returns one member of p's organization.
func (s *Service) GetMember(ctx context.Context, p metastore.Principal, orgRef, memberID string) (metastore.Member, error) {
	org, err := s.organization(ctx, p, orgRef)
	if err != nil {
		return metastore.Member{}, err
	}
	if err := requireRole(p, metastore.RoleViewer, "reading members"); err != nil {
		return metastore.Member{}, err
	}
	return s.member(ctx, org.ID, memberID)
}

func (s *Service) member(ctx context.Context, orgID, id string) (metastore.Member, error) {
	m, err := s.store.GetMember(ctx, orgID, id)
	if errors.Is(err, metastore.ErrNotFound) {
		return m, notFound("member", id)
	}
	return m, err
}

// Invite describes a member to add.
type Invite struct {
	Name  string // defaults to Email
	Email string
	Role  string
}

// MemberInvited is the outcome of InviteMember: the member and its first
// token, whose text is shown only now (hand it to the person invited).
type MemberInvited struct {
	Member    metastore.Member
	Token     metastore.Token
	TokenText string
}

// InviteMember adds a member to p's organization with a role and makes
// its first token.
func (s *Service) InviteMember(ctx context.Context, p metastore.Principal, orgRef string, in Invite) (MemberInvited, error) {
	var out MemberInvited
	org, err := s.organization(ctx, p, orgRef)
	if err != nil {
		return out, err
	}
	if err := requireRole(p, metastore.RoleAdmin, "inviting members"); err != nil {
		return out, err
	}
	if err := requireOrgWide(p, "inviting members"); err != nil {
		return out, err
	}
	in.Name, in.Email = strings.TrimSpace(in.Name), strings.TrimSpace(in.Email)
	if in.Email != "" {
		if err := checkEmail(in.Email); err != nil {
			return out, err
		}
	}
	if in.Name == "" {
		in.Name = in.Email
	}
	if in.Name == "" {
		return out, invalid("give the member's name or email")
	}
	if !memberNamePattern.MatchString(in.Name) {
		return out, invalid("name %q is not valid: use 1 to 128 letters, digits, '_', '.', '@', '+' or '-'", in.Name)
	}
	role, err := parseRole(in.Role)
	if err != nil {
		return out, err
	}
	if role == metastore.RoleOwner {
		if err := requireRole(p, metastore.RoleOwner, "inviting an owner"); err != nil {
			return out, err
		}
	}
	m, err := s.store.CreateMember(ctx, org.ID, in.Name, in.Email, role)
	if errors.Is(err, metastore.ErrConflict) {
		return out, conflict("a member named %q already exists in this organization", in.Name)
	}
	if err != nil {
		return out, err
	}
	tok, text, err := s.store.CreateToken(ctx, metastore.NewToken{MemberID: m.ID, Name: "invitation"})
	if err != nil {
		if derr := s.store.DeleteMember(context.WithoutCancel(ctx), org.ID, m.ID); derr != nil {
			s.log.Warn("undo member invitation", "member", m.ID, "err", derr)
		}
		return out, err
	}
	s.log.Info("member invited", "organization", org.ID, "member", m.ID, "role", role, "by_member", p.Member.ID)
	return MemberInvited{Member: m, Token: tok, TokenText: text}, nil
}

// SetMemberRole changes a member's role. Making, changing or unmaking an
// owner needs the owner role; the last owner stays one.
func (s *Service) SetMemberRole(ctx context.Context, p metastore.Principal, orgRef, memberID, role string) (metastore.Member, error) {
	org, err := s.organization(ctx, p, orgRef)
	if err != nil {
		return metastore.Member{}, err
	}
	if err := requireRole(p, metastore.RoleAdmin, "changing roles"); err != nil {
		return metastore.Member{}, err
	}
	if err := requireOrgWide(p, "changing roles"); err != nil {
		return metastore.Member{}, err
	}
	r, err := parseRole(role)
	if err != nil {
		return metastore.Member{}, err
	}
	m, err := s.member(ctx, org.ID, memberID)
	if err != nil {
		return m, err
	}
	if m.Role == r {
		return m, nil
	}
	if m.Role == metastore.RoleOwner || r == metastore.RoleOwner {
		if err := requireRole(p, metastore.RoleOwner, "changing an owner's role or making an owner"); err != nil {
			return m, err
		}
	}
	if m.Role == metastore.RoleOwner {
		if err := s.keepAnOwner(ctx, org.ID, m.ID); err != nil {
			return m, err
		}
	}
	if err := s.store.SetMemberRole(ctx, org.ID, m.ID, r); errors.Is(err, metastore.ErrNotFound) {
		return m, notFound("member", memberID)
	} else if err != nil {
		return m, err
	}
	s.log.Info("member role changed", "organization", org.ID, "member", m.ID, "from", m.Role, "to", r, "by_member", p.Member.ID)
	m.Role = r
	return m, nil
}

// RemoveMember removes a member of p's organization; its tokens are
// deleted with it and stop working at once.
func (s *Service) RemoveMember(ctx context.Context, p metastore.Principal, orgRef, memberID string) (metastore.Member, error) {
	org, err := s.organization(ctx, p, orgRef)
	if err != nil {
		return metastore.Member{}, err
	}
	if err := requireRole(p, metastore.RoleAdmin, "removing members"); err != nil {
		return metastore.Member{}, err
	}
	if err := requireOrgWide(p, "removing members"); err != nil {
		return metastore.Member{}, err
	}
	m, err := s.member(ctx, org.ID, memberID)
	if err != nil {
		return m, err
	}
	if m.Role == metastore.RoleOwner {
		if err := requireRole(p, metastore.RoleOwner, "removing an owner"); err != nil {
			return m, err
		}
		if err := s.keepAnOwner(ctx, org.ID, m.ID); err != nil {
			return m, err
		}
	}
	if err := s.store.DeleteMember(ctx, org.ID, m.ID); errors.Is(err, metastore.ErrNotFound) {
		return m, notFound("member", memberID)
	} else if err != nil {
		return m, err
	}
	s.log.Info("member removed", "organization", org.ID, "member", m.ID, "by_member", p.Member.ID)
	return m, nil
}

// keepAnOwner refuses to take the owner role from the organization's
// last owner.
func (s *Service) keepAnOwner(ctx context.Context, orgID, leaving string) error {
	members, err := s.store.ListMembers(ctx, orgID)
	if err != nil {
		return err
	}
	for _, m := range members {
		if m.Role == metastore.RoleOwner && m.ID != leaving {
			return nil
		}
	}
	return newError(KindConflict, "LAST_OWNER", "this member is the organization's last owner: make another member owner first (PATCH /v1/organizations/%s/members/{member_id} with role owner)", orgID)
}
