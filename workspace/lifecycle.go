package workspace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/metastore"
)

// This file holds a workspace's lifecycle: create, change, suspend,
// resume, delete. A suspended workspace holds no engine (no memory); a
// query resumes it when its auto_resume is set and is refused otherwise.
// Deleting purges its files, and the metastore cascades its records
// (secrets, connections, snapshots, runs, results, jobs, scoped tokens).

// workspaceNamePattern is the rule for new workspace names: they are
// pgwire database names, so they never need quoting in a URL or libpq
// string. Names that look like workspace ids are refused.
var workspaceNamePattern = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,62}$`)

func checkWorkspaceName(name string) error {
	if !workspaceNamePattern.MatchString(name) || strings.HasPrefix(name, metastore.PrefixWorkspace+"_") {
		return invalid("name %q is not valid: use 1 to 63 lower-case letters, digits, '_' and '-', starting with a letter or '_' (and not with \"ws_\")", name)
	}
	return nil
}

// WorkspaceInfo is a workspace with what this process holds for it.
type WorkspaceInfo struct {
	metastore.Workspace
	// EngineLoaded says whether its engine is open in this process.
	EngineLoaded bool
}

func (s *Service) workspaceInfo(ws metastore.Workspace) WorkspaceInfo {
	s.mu.Lock()
	_, open := s.engines[ws.ID]
	s.mu.Unlock()
	return WorkspaceInfo{Workspace: ws, EngineLoaded: open}
}

// WorkspaceDetails returns a workspace of p's organization by id or name.
func (s *Service) WorkspaceDetails(ctx context.Context, p metastore.Principal, ref string) (WorkspaceInfo, error) {
	if err := requireRole(p, metastore.RoleViewer, "reading a workspace"); err != nil {
		return WorkspaceInfo{}, err
	}
	ws, err := s.Workspace(ctx, p, ref)
	if err != nil {
		return WorkspaceInfo{}, err
	}
	return s.workspaceInfo(ws), nil
}

// CreateWorkspace adds a workspace to p's organization (orgRef, when
// given, must name it). It is active at once; its engine opens on the
// first query.
func (s *Service) CreateWorkspace(ctx context.Context, p metastore.Principal, name, orgRef string) (metastore.Workspace, error) {
	if err := requireWorkspaceAdmin(p, "creating a workspace"); err != nil {
		return metastore.Workspace{}, err
	}
	if orgRef != "" {
		if _, err := s.organization(ctx, p, orgRef); err != nil {
			return metastore.Workspace{}, err
		}
	}
	if err := checkWorkspaceName(name); err != nil {
		return metastore.Workspace{}, err
	}
	ws, err := s.store.CreateWorkspace(ctx, p.Member.OrgID, name, metastore.Limits{})
	if errors.Is(err, metastore.ErrConflict) {
		return ws, conflict("a workspace named %q already exists in this organization", name)
	}
	if err != nil {
		return ws, err
	}
	s.log.Info("workspace created", "workspace", ws.ID, "name", ws.Name, "member", p.Member.ID)
	return ws, nil
}

// LimitsUpdate changes some of a workspace's limits: nil fields stay,
// 0 means the server's default.
type LimitsUpdate struct {
	MemoryBytes          *int64
	Threads              *int
	CacheBytes           *int64
	MaxConcurrentQueries *int
	MaxSessions          *int
}

// WorkspaceUpdate changes a workspace's settings; nil fields stay.
type WorkspaceUpdate struct {
	Name       *string
	AutoResume *bool
	Limits     LimitsUpdate
}

// minEngineMemory is the smallest memory_bytes a workspace may set: DuckDB
// needs some room to run anything at all.
const minEngineMemory = 64 << 20

// UpdateWorkspace renames a workspace, sets auto_resume or changes its
// limits. New engine limits (memory, threads) apply when its engine opens
// next: an open engine is closed, and reopens on the next query.
func (s *Service) UpdateWorkspace(ctx context.Context, p metastore.Principal, ref string, u WorkspaceUpdate) (WorkspaceInfo, error) {
	if err := requireWorkspaceAdmin(p, "changing a workspace"); err != nil {
		return WorkspaceInfo{}, err
	}
	ws, err := s.Workspace(ctx, p, ref)
	if err != nil {
		return WorkspaceInfo{}, err
	}
	next := ws
	if u.Name != nil && *u.Name != ws.Name {
		if err := checkWorkspaceName(*u.Name); err != nil {
			return WorkspaceInfo{}, err
		}
		next.Name = *u.Name
	}
	if u.AutoResume != nil {
		next.AutoResume = *u.AutoResume
	}
	l := u.Limits
	for _, f := range []struct {
		name string
		v    int64
		set  bool
	}{
		{"memory_bytes", deref(l.MemoryBytes), l.MemoryBytes != nil},
		{"threads", int64(deref(l.Threads)), l.Threads != nil},
		{"cache_bytes", deref(l.CacheBytes), l.CacheBytes != nil},
		{"max_concurrent_queries", int64(deref(l.MaxConcurrentQueries)), l.MaxConcurrentQueries != nil},
		{"max_sessions", int64(deref(l.MaxSessions)), l.MaxSessions != nil},
	} {
		if f.set && f.v < 0 {
			return WorkspaceInfo{}, invalid("limits.%s must be 0 (the server's default) or more, not %d", f.name, f.v)
		}
	}
	if l.MemoryBytes != nil {
		if *l.MemoryBytes != 0 && *l.MemoryBytes < minEngineMemory {
			return WorkspaceInfo{}, invalid("limits.memory_bytes must be 0 (the server's default) or at least %d (64 MiB), not %d", minEngineMemory, *l.MemoryBytes)
		}
		next.Limits.MemoryBytes = *l.MemoryBytes
	}
	if l.Threads != nil {
		next.Limits.Threads = *l.Threads
	}
	if l.CacheBytes != nil {
		next.Limits.CacheBytes = *l.CacheBytes
	}
	if l.MaxConcurrentQueries != nil {
		next.Limits.MaxConcurrentQueries = *l.MaxConcurrentQueries
	}
	if l.MaxSessions != nil {
		next.Limits.MaxSessions = *l.MaxSessions
	}
	updated, err := s.store.UpdateWorkspaceSettings(ctx, next)
	if errors.Is(err, metastore.ErrConflict) {
		return WorkspaceInfo{}, conflict("a workspace named %q already exists in this organization", next.Name)
	}
	if errors.Is(err, metastore.ErrNotFound) {
		return WorkspaceInfo{}, notFound("workspace", ref)
	}
	if err != nil {
		return WorkspaceInfo{}, err
	}
	if next.Limits.MemoryBytes != ws.Limits.MemoryBytes || next.Limits.Threads != ws.Limits.Threads {
		if err := s.closeEngine(ws.ID); err != nil {
			s.log.Warn("close engine for new limits", "workspace", ws.ID, "err", err)
		}
	}
	if next.Name != ws.Name {
		// The emulated pg_catalog shows the workspace's name.
		s.invalidateCatalog(ws.ID)
	}
	if next.Limits.CacheBytes != ws.Limits.CacheBytes {
		s.goBackground(func(ctx context.Context) { s.enforceQuota(ctx, ws.ID) })
	}
	return s.workspaceInfo(updated), nil
}

func deref[T int | int64](p *T) T {
	if p == nil {
		return 0
	}
	return *p
}

// SuspendWorkspace closes a workspace's engine, frees its memory and its
// upstream connections, and marks it suspended: queries then resume it
// when auto_resume is set, and are refused otherwise.
func (s *Service) SuspendWorkspace(ctx context.Context, p metastore.Principal, ref string) (WorkspaceInfo, error) {
	if err := requireWorkspaceAdmin(p, "suspending a workspace"); err != nil {
		return WorkspaceInfo{}, err
	}
	ws, err := s.Workspace(ctx, p, ref)
	if err != nil {
		return WorkspaceInfo{}, err
	}
	// The status changes first: an engine opened after this point sees
	// it, and one opened before is closed below.
	if ws.Status != metastore.WorkspaceSuspended {
		ws, err = s.store.SetWorkspaceStatus(ctx, ws.ID, metastore.WorkspaceSuspended, metastore.WorkspaceActive)
		if errors.Is(err, metastore.ErrNotFound) {
			return WorkspaceInfo{}, newError(KindConflict, "LIFECYCLE_CONFLICT", "workspace %q changed while it was being suspended: try again", ref)
		}
		if err != nil {
			return WorkspaceInfo{}, err
		}
	}
	s.releaseWorkspace(ctx, ws.ID)
	s.log.Info("workspace suspended", "workspace", ws.ID, "member", p.Member.ID)
	return s.workspaceInfo(ws), nil
}

// ResumeWorkspace marks a suspended workspace active and opens its engine.
func (s *Service) ResumeWorkspace(ctx context.Context, p metastore.Principal, ref string) (WorkspaceInfo, error) {
	if err := requireWorkspaceAdmin(p, "resuming a workspace"); err != nil {
		return WorkspaceInfo{}, err
	}
	ws, err := s.Workspace(ctx, p, ref)
	if err != nil {
		return WorkspaceInfo{}, err
	}
	if ws.Status != metastore.WorkspaceActive {
		ws, err = s.store.SetWorkspaceStatus(ctx, ws.ID, metastore.WorkspaceActive, metastore.WorkspaceSuspended)
		if errors.Is(err, metastore.ErrNotFound) {
			return WorkspaceInfo{}, newError(KindConflict, "LIFECYCLE_CONFLICT", "workspace %q changed while it was being resumed: try again", ref)
		}
		if err != nil {
			return WorkspaceInfo{}, err
		}
		s.log.Info("workspace resumed", "workspace", ws.ID, "member", p.Member.ID)
	}
	if _, err := s.engineFor(ctx, ws); err != nil {
		return WorkspaceInfo{}, err
	}
	return s.workspaceInfo(ws), nil
}

// DeleteWorkspace removes a workspace: its engine closes, its records go
// (secrets, connections, tables, snapshots, runs, results, jobs, and the
// tokens scoped to it) and its folder (cache, uploads, results) is
// deleted.
func (s *Service) DeleteWorkspace(ctx context.Context, p metastore.Principal, ref string) (metastore.Workspace, error) {
	if err := requireWorkspaceAdmin(p, "deleting a workspace"); err != nil {
		return metastore.Workspace{}, err
	}
	ws, err := s.Workspace(ctx, p, ref)
	if err != nil {
		return ws, err
	}
	// "deleting" hides it from every lookup and stops its engine from
	// opening again while its records and files go.
	if _, err := s.store.SetWorkspaceStatus(ctx, ws.ID, metastore.WorkspaceDeleting, metastore.WorkspaceActive, metastore.WorkspaceSuspended); err != nil {
		if errors.Is(err, metastore.ErrNotFound) {
			return ws, notFound("workspace", ref)
		}
		return ws, err
	}
	if conns, err := s.store.ListConnections(ctx, ws.ID); err == nil {
		for _, c := range conns {
			s.cdc.forget(ctx, c) // change streams and their slots upstream
		}
	}
	s.releaseWorkspace(ctx, ws.ID)
	if err := s.store.DeleteWorkspace(context.WithoutCancel(ctx), ws.ID); err != nil {
		if _, rerr := s.store.SetWorkspaceStatus(context.WithoutCancel(ctx), ws.ID, ws.Status, metastore.WorkspaceDeleting); rerr != nil {
			s.log.Warn("restore workspace status after a failed delete", "workspace", ws.ID, "err", rerr)
		}
		return ws, err
	}
	if err := s.purgeWorkspaceFiles(ws.ID); err != nil {
		// The records are gone: the folder is litter, not an error for the caller.
		s.log.Warn("remove workspace folder", "workspace", ws.ID, "err", err)
	}
	s.log.Info("workspace deleted", "workspace", ws.ID, "name", ws.Name, "member", p.Member.ID)
	return ws, nil
}

// releaseWorkspace frees what this process holds for a workspace: its
// engine, its catalog and the connectors of its connections.
func (s *Service) releaseWorkspace(ctx context.Context, wsID string) {
	conns, err := s.store.ListConnections(ctx, wsID)
	if err != nil {
		s.log.Warn("list connections to close", "workspace", wsID, "err", err)
	}
	ids := make([]string, len(conns))
	for i, c := range conns {
		ids[i] = c.ID
	}
	s.dropConnectors(ids...)
	copiesDone := s.stopNativeCopies(wsID)
	if err := s.closeEngine(wsID); err != nil {
		s.log.Warn("close workspace engine", "workspace", wsID, "err", err)
	}
	copiesDone()
	s.dropCatalog(wsID)
}

// purgeWorkspaceFiles deletes a workspace's folder: cached snapshots,
// uploads, results and temporary files.
func (s *Service) purgeWorkspaceFiles(wsID string) error {
	s.mu.Lock()
	delete(s.recovered, wsID)
	s.mu.Unlock()
	if err := os.RemoveAll(s.layout.Workspace(wsID)); err != nil {
		return fmt.Errorf("remove workspace folder: %w", err)
	}
	return nil
}

// workspaceForEngineLocked reads a workspace again before its engine
// opens (s.mu held): a suspended workspace resumes when auto_resume is set
// and is refused otherwise; the record returned carries the current limits.
func (s *Service) workspaceForEngineLocked(ctx context.Context, ws metastore.Workspace) (metastore.Workspace, error) {
	fresh, err := s.store.GetWorkspace(ctx, ws.ID)
	if errors.Is(err, metastore.ErrNotFound) || err == nil && fresh.Status == metastore.WorkspaceDeleting {
		msg := fmt.Sprintf("workspace %q no longer exists", ws.Name)
		return ws, &Error{Kind: KindNotFound, Code: "NOT_FOUND", Message: msg, Err: pgerr.New(pgerr.InvalidCatalogName, "%s", msg)}
	}
	if err != nil {
		return ws, fmt.Errorf("load workspace: %w", err)
	}
	if fresh.Status != metastore.WorkspaceSuspended {
		return fresh, nil
	}
	if !fresh.AutoResume {
		return fresh, errSuspended(fresh)
	}
	resumed, err := s.store.SetWorkspaceStatus(ctx, ws.ID, metastore.WorkspaceActive, metastore.WorkspaceSuspended)
	if errors.Is(err, metastore.ErrNotFound) {
		// Changed meanwhile (resumed by another process, or deleted): look again.
		return s.workspaceForEngineLocked(ctx, ws)
	}
	if err != nil {
		return fresh, fmt.Errorf("resume workspace: %w", err)
	}
	s.log.Info("workspace resumed by a query (auto_resume)", "workspace", ws.ID)
	return resumed, nil
}

// errSuspended refuses a query on a suspended workspace: 409 over REST,
// SQLSTATE 55000 over pgwire.
func errSuspended(ws metastore.Workspace) error {
	msg := fmt.Sprintf("workspace %q is suspended: resume it with POST /v1/workspaces/%s/resume, or set auto_resume (PATCH /v1/workspaces/%s) so that queries resume it",
		ws.Name, ws.ID, ws.ID)
	return &Error{Kind: KindConflict, Code: "WORKSPACE_SUSPENDED", Message: msg, Err: pgerr.New(pgerr.ObjectNotInPrerequisiteState, "%s", msg)}
}

// requireWorkspaceAdmin allows managing workspaces (create, change,
// suspend, resume, delete) to an admin with an organization-wide token:
// a token limited to one workspace cannot change, or delete, even that one.
func requireWorkspaceAdmin(p metastore.Principal, action string) error {
	if err := requireRole(p, metastore.RoleAdmin, action); err != nil {
		return err
	}
	return requireOrgWide(p, action)
}
