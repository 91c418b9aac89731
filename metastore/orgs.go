package metastore

import (
	"context"
	"fmt"
	"time"
)

// CreateOrganization adds an organization. A taken name is ErrConflict.
func (s *Store) CreateOrganization(ctx context.Context, name string) (Organization, error) {
	o := Organization{ID: NewID(PrefixOrganization), Name: name, CreatedAt: now()}
	_, err := s.exec(ctx, `INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)`, o.ID, o.Name, fmtTime(o.CreatedAt))
	return o, s.insertErr("create organization", err)
}

// GetOrganization returns the organization with the given id.
func (s *Store) GetOrganization(ctx context.Context, id string) (Organization, error) {
	var o Organization
	err := s.queryRow(ctx, `SELECT id, name, created_at FROM organizations WHERE id = ?`, id).
		Scan(&o.ID, &o.Name, timeCol{&o.CreatedAt})
	return o, notFound("get organization", err)
}

// GetOrganizationByName returns the organization with the given name.
func (s *Store) GetOrganizationByName(ctx context.Context, name string) (Organization, error) {
	var o Organization
	err := s.queryRow(ctx, `SELECT id, name, created_at FROM organizations WHERE name = ?`, name).
		Scan(&o.ID, &o.Name, timeCol{&o.CreatedAt})
	return o, notFound("get organization", err)
}

// RenameOrganization changes an organization's name. A taken name is
// ErrConflict.
func (s *Store) RenameOrganization(ctx context.Context, id, name string) (Organization, error) {
	res, err := s.exec(ctx, `UPDATE organizations SET name = ? WHERE id = ?`, name, id)
	if err != nil {
		return Organization{}, s.insertErr("rename organization", err)
	}
	if err := mustAffect("rename organization", res, nil); err != nil {
		return Organization{}, err
	}
	return s.GetOrganization(ctx, id)
}

// DeleteOrganization removes an organization and, by cascade, everything in it.
func (s *Store) DeleteOrganization(ctx context.Context, id string) error {
	res, err := s.exec(ctx, `DELETE FROM organizations WHERE id = ?`, id)
	return s.authChanged(ctx, mustAffect("delete organization", res, err))
}

// CreateMember adds a member to an organization.
func (s *Store) CreateMember(ctx context.Context, orgID, name, email string, role Role) (Member, error) {
	if !role.Valid() {
		return Member{}, fmt.Errorf("create member: unknown role %q", role)
	}
	m := Member{ID: NewID(PrefixMember), OrgID: orgID, Name: name, Email: email, Role: role, CreatedAt: now()}
	_, err := s.exec(ctx, `INSERT INTO members (id, org_id, name, email, role, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		m.ID, m.OrgID, m.Name, m.Email, string(m.Role), fmtTime(m.CreatedAt))
	return m, s.insertErr("create member", err)
}

const memberCols = `id, org_id, name, email, role, created_at`

func scanMember(sc scanner, m *Member) error {
	var role string
	if err := sc.Scan(&m.ID, &m.OrgID, &m.Name, &m.Email, &role, timeCol{&m.CreatedAt}); err != nil {
		return err
	}
	m.Role = Role(role)
	return nil
}

// GetMember returns a member of the organization.
func (s *Store) GetMember(ctx context.Context, orgID, id string) (Member, error) {
	var m Member
	err := scanMember(s.queryRow(ctx, `SELECT `+memberCols+` FROM members WHERE org_id = ? AND id = ?`, orgID, id), &m)
	return m, notFound("get member", err)
}

// ListMembers returns an organization's members, oldest first.
func (s *Store) ListMembers(ctx context.Context, orgID string) ([]Member, error) {
	rows, err := s.query(ctx, `SELECT `+memberCols+` FROM members WHERE org_id = ? ORDER BY created_at, id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	return collect(rows, "list members", func(sc scanner) (Member, error) {
		var m Member
		return m, scanMember(sc, &m)
	})
}

// SetMemberRole changes a member's role.
func (s *Store) SetMemberRole(ctx context.Context, orgID, id string, role Role) error {
	if !role.Valid() {
		return fmt.Errorf("set member role: unknown role %q", role)
	}
	res, err := s.exec(ctx, `UPDATE members SET role = ? WHERE org_id = ? AND id = ?`, string(role), orgID, id)
	return s.authChanged(ctx, mustAffect("set member role", res, err))
}

// DeleteMember removes a member; its tokens go with it.
func (s *Store) DeleteMember(ctx context.Context, orgID, id string) error {
	res, err := s.exec(ctx, `DELETE FROM members WHERE org_id = ? AND id = ?`, orgID, id)
	return s.authChanged(ctx, mustAffect("delete member", res, err))
}

// scanner is what *sql.Row and *sql.Rows share.
type scanner interface{ Scan(dest ...any) error }

// collect scans every row with scan and closes rows.
func collect[T any](rows interface {
	scanner
	Next() bool
	Err() error
	Close() error
}, what string, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// now is the store's clock, truncated to the stored precision so that
// values read back compare equal to values written.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// ListOrganizations returns every organization by name.
func (s *Store) ListOrganizations(ctx context.Context) ([]Organization, error) {
	rows, err := s.query(ctx, `SELECT id, name, created_at FROM organizations ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list organizations: %w", err)
	}
	return collect(rows, "list organizations", func(sc scanner) (Organization, error) {
		var o Organization
		return o, sc.Scan(&o.ID, &o.Name, timeCol{&o.CreatedAt})
	})
}
