package metastore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/hotdata-dev/hotdata/internal/scram"
)

// TokenPrefix starts every API token's text.
const TokenPrefix = "hd_"

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// NewTokenText returns a new random token: "hd_" and 43 base62 characters
// (256 bits).
func NewTokenText() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	n := new(big.Int).SetBytes(b[:])
	out := make([]byte, 0, 43)
	base := big.NewInt(62)
	mod := new(big.Int)
	for i := 0; i < 43; i++ {
		n.DivMod(n, base, mod)
		out = append(out, base62[mod.Int64()])
	}
	return TokenPrefix + string(out)
}

// HashToken is how a token's text is stored and looked up.
func HashToken(text string) []byte {
	h := sha256.Sum256([]byte(text))
	return h[:]
}

// SCRAMParams returns the install-wide SCRAM salt and iteration count,
// creating them on first use.
func (s *Store) SCRAMParams(ctx context.Context) (SCRAMParams, error) {
	salt := base64.StdEncoding.EncodeToString(scram.NewSalt())
	for _, kv := range [][2]string{{"scram_salt", salt}, {"scram_iterations", strconv.Itoa(scram.DefaultIterations)}} {
		if _, err := s.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, kv[0], kv[1]); err != nil {
			return SCRAMParams{}, fmt.Errorf("scram parameters: %w", err)
		}
	}
	var saltText, itersText string
	if err := s.queryRow(ctx, `SELECT value FROM settings WHERE key = 'scram_salt'`).Scan(&saltText); err != nil {
		return SCRAMParams{}, fmt.Errorf("scram parameters: %w", err)
	}
	if err := s.queryRow(ctx, `SELECT value FROM settings WHERE key = 'scram_iterations'`).Scan(&itersText); err != nil {
		return SCRAMParams{}, fmt.Errorf("scram parameters: %w", err)
	}
	raw, err := base64.StdEncoding.DecodeString(saltText)
	if err != nil {
		return SCRAMParams{}, fmt.Errorf("scram parameters: bad salt: %w", err)
	}
	iters, err := strconv.Atoi(itersText)
	if err != nil || iters < 1 {
		return SCRAMParams{}, fmt.Errorf("scram parameters: bad iteration count %q", itersText)
	}
	return SCRAMParams{Salt: raw, Iterations: iters}, nil
}

// NewToken describes a token to create.
type NewToken struct {
	MemberID    string
	WorkspaceID string // optional: limit the token to one workspace
	Name        string
	ExpiresAt   *time.Time
	// Text fixes the token's text (HOTDATA_BOOTSTRAP_TOKEN); empty makes one.
	Text string
}

// CreateToken stores a new token and returns its record and its text. The
// text is not kept: this is the only time it is available.
func (s *Store) CreateToken(ctx context.Context, nt NewToken) (Token, string, error) {
	text := nt.Text
	if text == "" {
		text = NewTokenText()
	}
	params, err := s.SCRAMParams(ctx)
	if err != nil {
		return Token{}, "", fmt.Errorf("create token: %w", err)
	}
	keys := scram.Derive(text, params.Salt, params.Iterations)
	prefix := text
	if len(prefix) > prefixLen {
		prefix = prefix[:prefixLen]
	}
	t := Token{
		ID: NewID(PrefixToken), MemberID: nt.MemberID, WorkspaceID: nt.WorkspaceID, Name: nt.Name,
		Prefix: prefix, Hash: HashToken(text), SCRAM: SCRAMKeys(keys), CreatedAt: now(), ExpiresAt: nt.ExpiresAt,
	}
	_, err = s.exec(ctx, `INSERT INTO tokens (id, member_id, workspace_id, name, prefix, hash, scram_stored_key, scram_server_key, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.MemberID, nullIfEmpty(t.WorkspaceID), t.Name, t.Prefix, t.Hash, t.SCRAM.StoredKey, t.SCRAM.ServerKey, fmtTime(t.CreatedAt), fmtTimePtr(t.ExpiresAt))
	if err != nil {
		return Token{}, "", s.insertErr("create token", err)
	}
	return t, text, nil
}

const tokenCols = `t.id, t.member_id, t.workspace_id, t.name, t.prefix, t.hash, t.scram_stored_key, t.scram_server_key, t.created_at, t.last_used_at, t.expires_at, t.revoked_at`

func scanToken(dest []any, t *Token) []any {
	return append(dest, &t.ID, &t.MemberID, nullStringCol{&t.WorkspaceID}, &t.Name, &t.Prefix, &t.Hash, &t.SCRAM.StoredKey, &t.SCRAM.ServerKey,
		timeCol{&t.CreatedAt}, nullTimeCol{&t.LastUsedAt}, nullTimeCol{&t.ExpiresAt}, nullTimeCol{&t.RevokedAt})
}

// activeTokenWhere selects tokens that are neither revoked nor expired.
const activeTokenWhere = `t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)`

func (s *Store) principal(ctx context.Context, where string, args ...any) (Principal, error) {
	var p Principal
	var role string
	dest := scanToken(nil, &p.Token)
	dest = append(dest, &p.Member.ID, &p.Member.OrgID, &p.Member.Name, &p.Member.Email, &role, timeCol{&p.Member.CreatedAt})
	args = append(args, fmtTime(time.Now()))
	err := s.queryRow(ctx, `SELECT `+tokenCols+`, m.id, m.org_id, m.name, m.email, m.role, m.created_at
		FROM tokens t JOIN members m ON m.id = t.member_id WHERE `+where+` AND `+activeTokenWhere, args...).Scan(dest...)
	p.Member.Role = Role(role)
	return p, notFound("authenticate token", err)
}

// AuthenticateToken returns the principal of an active token given its
// text. An unknown, revoked or expired token is ErrNotFound.
func (s *Store) AuthenticateToken(ctx context.Context, text string) (Principal, error) {
	return s.principal(ctx, `t.hash = ?`, HashToken(text))
}

// PrincipalByTokenID returns the principal of an active token by its id.
func (s *Store) PrincipalByTokenID(ctx context.Context, id string) (Principal, error) {
	return s.principal(ctx, `t.id = ?`, id)
}

// TokenCredential is an active token's SCRAM verifier.
type TokenCredential struct {
	TokenID string
	Keys    SCRAMKeys
}

// SCRAMCredentials returns the verifiers of every active token.
func (s *Store) SCRAMCredentials(ctx context.Context) ([]TokenCredential, error) {
	rows, err := s.query(ctx, `SELECT t.id, t.scram_stored_key, t.scram_server_key FROM tokens t WHERE `+activeTokenWhere, fmtTime(time.Now()))
	if err != nil {
		return nil, fmt.Errorf("scram credentials: %w", err)
	}
	return collect(rows, "scram credentials", func(sc scanner) (TokenCredential, error) {
		var c TokenCredential
		return c, sc.Scan(&c.TokenID, &c.Keys.StoredKey, &c.Keys.ServerKey)
	})
}

// prefixLen is how much of a token's text its prefix keeps.
const prefixLen = 10

// IsTokenPrefix reports whether s has the form of a token's prefix.
func IsTokenPrefix(s string) bool {
	if len(s) != prefixLen || s[:len(TokenPrefix)] != TokenPrefix {
		return false
	}
	for _, c := range s[len(TokenPrefix):] {
		if !strings.ContainsRune(base62, c) {
			return false
		}
	}
	return true
}

// SCRAMCandidates returns the verifiers a pgwire login may match, looked
// up by index instead of every active token of every organization: when
// user has the form of a token's prefix, the active tokens with that
// prefix; otherwise the active tokens that can open database (a
// workspace's id or name): its organization's members' tokens, limited
// to no workspace or to that one.
func (s *Store) SCRAMCandidates(ctx context.Context, user, database string) ([]TokenCredential, error) {
	var q string
	args := []any{fmtTime(time.Now())}
	if IsTokenPrefix(user) {
		q = `SELECT t.id, t.scram_stored_key, t.scram_server_key FROM tokens t WHERE t.prefix = ? AND ` + activeTokenWhere
		args = append([]any{user}, args...)
	} else {
		q = `SELECT DISTINCT t.id, t.scram_stored_key, t.scram_server_key FROM workspaces w
			JOIN members m ON m.org_id = w.org_id
			JOIN tokens t ON t.member_id = m.id
			WHERE (w.id = ? OR w.name = ?) AND (t.workspace_id IS NULL OR t.workspace_id = w.id) AND ` + activeTokenWhere
		args = append([]any{database, database}, args...)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("scram candidates: %w", err)
	}
	return collect(rows, "scram candidates", func(sc scanner) (TokenCredential, error) {
		var c TokenCredential
		return c, sc.Scan(&c.TokenID, &c.Keys.StoredKey, &c.Keys.ServerKey)
	})
}

// ListTokens returns a member's tokens, newest first, revoked ones included.
func (s *Store) ListTokens(ctx context.Context, memberID string) ([]Token, error) {
	rows, err := s.query(ctx, `SELECT `+tokenCols+` FROM tokens t WHERE t.member_id = ? ORDER BY t.created_at DESC, t.id`, memberID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return collect(rows, "list tokens", func(sc scanner) (Token, error) {
		var t Token
		return t, sc.Scan(scanToken(nil, &t)...)
	})
}

// GetToken returns one of a member's tokens, revoked or not.
func (s *Store) GetToken(ctx context.Context, memberID, id string) (Token, error) {
	var t Token
	err := s.queryRow(ctx, `SELECT `+tokenCols+` FROM tokens t WHERE t.member_id = ? AND t.id = ?`, memberID, id).Scan(scanToken(nil, &t)...)
	return t, notFound("get token", err)
}

// RevokeToken revokes one of a member's tokens; it stops working at once.
func (s *Store) RevokeToken(ctx context.Context, memberID, id string) error {
	res, err := s.exec(ctx, `UPDATE tokens SET revoked_at = ? WHERE member_id = ? AND id = ? AND revoked_at IS NULL`, fmtTime(now()), memberID, id)
	return s.authChanged(ctx, mustAffect("revoke token", res, err))
}

// TouchToken records that a token was used.
func (s *Store) TouchToken(ctx context.Context, id string) error {
	_, err := s.exec(ctx, `UPDATE tokens SET last_used_at = ? WHERE id = ?`, fmtTime(now()), id)
	if err != nil {
		return fmt.Errorf("touch token: %w", err)
	}
	return nil
}
