package workspace

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/metastore"
)

// Secrets hold upstream passwords and tokens, sealed at rest; no call
// returns a value. Rotating one reopens the connectors of the connections
// that use it; deleting one leaves those connections saying why they can
// no longer sync, until a secret of the same name is created again.

var secretNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]{0,127}$`)

const maxSecretBytes = 64 << 10

func checkSecretValue(value string) error {
	if value == "" {
		return invalid("value must not be empty")
	}
	if len(value) > maxSecretBytes {
		return invalid("value is %d bytes; secrets hold at most %d", len(value), maxSecretBytes)
	}
	return nil
}

// CreateSecret stores a secret in the workspace. Connections whose secret
// of that name was deleted use it from now on.
func (s *Service) CreateSecret(ctx context.Context, p metastore.Principal, ws metastore.Workspace, name, value string) (metastore.Secret, error) {
	if err := requireRole(p, metastore.RoleAdmin, "managing secrets"); err != nil {
		return metastore.Secret{}, err
	}
	if !secretNamePattern.MatchString(name) {
		return metastore.Secret{}, invalid("name %q is not valid: use 1 to 128 letters, digits, '_', '-' or '.', starting with a letter or '_'", name)
	}
	if err := checkSecretValue(value); err != nil {
		return metastore.Secret{}, err
	}
	sec, err := s.store.CreateSecret(ctx, ws.ID, name, []byte(value))
	if errors.Is(err, metastore.ErrConflict) {
		return sec, conflict("a secret named %q already exists in this workspace: to change its value, use PUT /v1/secrets/%s", name, name)
	}
	if err != nil {
		return sec, err
	}
	s.invalidateCatalog(ws.ID)
	return sec, nil
}

// ListSecrets returns the workspace's secrets' metadata by name.
func (s *Service) ListSecrets(ctx context.Context, p metastore.Principal, ws metastore.Workspace) ([]metastore.Secret, error) {
	if err := requireRole(p, metastore.RoleViewer, "listing secrets"); err != nil {
		return nil, err
	}
	return s.store.ListSecrets(ctx, ws.ID)
}

// GetSecret returns a secret's metadata by name (or id).
func (s *Service) GetSecret(ctx context.Context, p metastore.Principal, ws metastore.Workspace, name string) (metastore.Secret, error) {
	if err := requireRole(p, metastore.RoleViewer, "reading secrets"); err != nil {
		return metastore.Secret{}, err
	}
	sec, err := s.store.GetSecret(ctx, ws.ID, name)
	if errors.Is(err, metastore.ErrNotFound) {
		return sec, notFound("secret", name)
	}
	return sec, err
}

// RotateSecret replaces a secret's value. The connections that use it
// reopen their connectors with the new value: here at once, in other
// processes at their next use (the metastore marks them updated).
func (s *Service) RotateSecret(ctx context.Context, p metastore.Principal, ws metastore.Workspace, name, value string) (metastore.Secret, error) {
	if err := requireRole(p, metastore.RoleAdmin, "managing secrets"); err != nil {
		return metastore.Secret{}, err
	}
	if err := checkSecretValue(value); err != nil {
		return metastore.Secret{}, err
	}
	sec, err := s.store.UpdateSecretValue(ctx, ws.ID, name, []byte(value))
	if errors.Is(err, metastore.ErrNotFound) {
		return sec, newError(KindNotFound, "NOT_FOUND", "secret %q does not exist in this workspace: create it with POST /v1/secrets", name)
	}
	if err != nil {
		return sec, err
	}
	s.dropConnectors(s.connectionsUsing(ctx, ws.ID, sec.ID)...)
	s.invalidateCatalog(ws.ID)
	s.log.Info("secret rotated", "workspace", ws.ID, "secret", sec.ID, "member", p.Member.ID)
	return sec, nil
}

// SecretDeleted is the outcome of DeleteSecret.
type SecretDeleted struct {
	Secret metastore.Secret
	// Connections names the connections that used it: they cannot reach
	// their upstream until a secret of the same name is created.
	Connections []string
}

// DeleteSecret removes a secret.
func (s *Service) DeleteSecret(ctx context.Context, p metastore.Principal, ws metastore.Workspace, name string) (SecretDeleted, error) {
	var out SecretDeleted
	if err := requireRole(p, metastore.RoleAdmin, "managing secrets"); err != nil {
		return out, err
	}
	sec, err := s.store.GetSecret(ctx, ws.ID, name)
	if errors.Is(err, metastore.ErrNotFound) {
		return out, notFound("secret", name)
	}
	if err != nil {
		return out, err
	}
	out.Secret = sec
	conns, err := s.store.ListConnections(ctx, ws.ID)
	if err != nil {
		return out, err
	}
	var ids []string
	out.Connections = []string{}
	for _, c := range conns {
		if c.SecretID == sec.ID {
			ids = append(ids, c.ID)
			out.Connections = append(out.Connections, c.Name)
		}
	}
	if err := s.store.DeleteSecret(ctx, ws.ID, sec.ID); errors.Is(err, metastore.ErrNotFound) {
		return out, notFound("secret", name)
	} else if err != nil {
		return out, err
	}
	s.dropConnectors(ids...)
	s.invalidateCatalog(ws.ID)
	s.log.Info("secret deleted", "workspace", ws.ID, "secret", sec.ID, "member", p.Member.ID, "connections", out.Connections)
	return out, nil
}

// connectionsUsing returns the ids of the workspace's connections that use a secret.
func (s *Service) connectionsUsing(ctx context.Context, wsID, secretID string) []string {
	conns, err := s.store.ListConnections(ctx, wsID)
	if err != nil {
		s.log.Warn("list connections of a secret", "workspace", wsID, "err", err)
		return nil
	}
	var ids []string
	for _, c := range conns {
		if c.SecretID == secretID {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// secretFor returns the value of a connection's secret ("" when it has
// none). A connection whose secret was deleted gets an error that says so.
func (s *Service) secretFor(ctx context.Context, c metastore.Connection) (string, error) {
	if c.SecretID == "" {
		if c.MissingSecret != "" {
			return "", errSecretDeleted(c, c.MissingSecret)
		}
		return "", nil
	}
	v, err := s.store.SecretValue(ctx, c.WorkspaceID, c.SecretID)
	if errors.Is(err, metastore.ErrNotFound) {
		// Deleted since c was read.
		name := c.SecretID
		if fresh, ferr := s.store.GetConnection(ctx, c.WorkspaceID, c.ID); ferr == nil && fresh.MissingSecret != "" {
			name = fresh.MissingSecret
		}
		return "", errSecretDeleted(c, name)
	}
	if err != nil {
		return "", fmt.Errorf("connection %s: its secret cannot be read: %w", c.Name, err)
	}
	return string(v), nil
}

func errSecretDeleted(c metastore.Connection, secret string) error {
	return newError(KindUnprocessable, "SECRET_DELETED",
		"connection %s cannot reach its upstream: its secret %q was deleted; create a secret named %q again (POST /v1/secrets) and the connection uses it",
		c.Name, secret, secret)
}

// dropConnectors closes the cached connectors of these connections, so
// that their next use opens them again (with a new secret value, or not
// at all once the connection is gone). Closing waits for scans in flight,
// so it happens in the background.
func (s *Service) dropConnectors(ids ...string) {
	var closing []connectors.Connector
	s.mu.Lock()
	for _, id := range ids {
		if oc, ok := s.connectors[id]; ok {
			closing = append(closing, oc.conn)
			delete(s.connectors, id)
		}
	}
	s.mu.Unlock()
	if len(closing) == 0 {
		return
	}
	closeAll := func(context.Context) {
		for _, c := range closing {
			if err := c.Close(); err != nil {
				s.log.Warn("close connector", "err", err)
			}
		}
	}
	if !s.goBackground(closeAll) {
		closeAll(context.Background())
	}
}
