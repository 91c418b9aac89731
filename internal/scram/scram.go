package scram

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Mechanism names as offered in AuthenticationSASL.
const (
	SHA256     = "SCRAM-SHA-256"
	SHA256Plus = "SCRAM-SHA-256-PLUS"
)

// DefaultIterations matches PostgreSQL's scram_iterations default.
const DefaultIterations = 4096

// Keys is a credential's verifier.
type Keys struct {
	StoredKey []byte
	ServerKey []byte
}

// Derive computes the verifier of password with salt and iterations.
func Derive(password string, salt []byte, iterations int) Keys {
	salted := pbkdf2Key(password, salt, iterations)
	clientKey := hmacSum(salted, "Client Key")
	stored := sha256.Sum256(clientKey)
	return Keys{StoredKey: stored[:], ServerKey: hmacSum(salted, "Server Key")}
}

// pbkdf2Key is RFC 5802's Hi(): PBKDF2 with HMAC-SHA-256.
func pbkdf2Key(password string, salt []byte, iterations int) []byte {
	salted, err := pbkdf2.Key(sha256.New, password, salt, iterations, sha256.Size)
	if err != nil {
		// Only fails for FIPS-mode parameter limits, which these never hit.
		panic(fmt.Sprintf("scram: pbkdf2: %v", err))
	}
	return salted
}

// NewSalt returns 16 random bytes.
func NewSalt() []byte {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return b
}

func hmacSum(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

// Errors of the exchange. ErrBadProof means the password was wrong; the
// others mean the client broke the protocol.
var (
	ErrBadProof   = errors.New("scram: password authentication failed")
	ErrProtocol   = errors.New("scram: malformed message")
	ErrBinding    = errors.New("scram: channel binding mismatch")
	ErrBindingReq = errors.New("scram: channel binding required but not offered by the client")
)

// Exchange is one server-side SCRAM conversation.
type Exchange struct {
	Salt       []byte
	Iterations int
	// Binding is the tls-server-end-point data when the connection is
	// over TLS, else nil.
	Binding []byte

	// nonce, when set, replaces the random server nonce part (tests).
	serverNonce string

	mechanism       string
	gs2Header       string
	clientFirstBare string
	serverFirst     string
	nonce           string
}

// ClientFirst consumes the client-first-message sent with the chosen
// mechanism and returns the server-first-message.
func (e *Exchange) ClientFirst(mechanism string, msg []byte) (string, error) {
	e.mechanism = mechanism
	s := string(msg)
	// gs2-header: cbind-flag "," [authzid] ","
	parts := strings.SplitN(s, ",", 3)
	if len(parts) != 3 {
		return "", ErrProtocol
	}
	flag := parts[0]
	switch {
	case mechanism == SHA256Plus:
		if !strings.HasPrefix(flag, "p=") {
			return "", ErrProtocol
		}
		if flag != "p=tls-server-end-point" {
			return "", fmt.Errorf("%w: unsupported channel binding type %q", ErrProtocol, strings.TrimPrefix(flag, "p="))
		}
		if e.Binding == nil {
			return "", ErrProtocol
		}
	case mechanism == SHA256:
		switch flag {
		case "n":
		case "y":
			// The client supports binding but thinks we do not. When we
			// do (TLS), this is a downgrade attack (RFC 5802 section 6).
			if e.Binding != nil {
				return "", ErrBinding
			}
		default:
			return "", ErrProtocol
		}
	default:
		return "", fmt.Errorf("%w: unknown mechanism %q", ErrProtocol, mechanism)
	}
	if parts[1] != "" && !strings.HasPrefix(parts[1], "a=") {
		return "", ErrProtocol
	}
	e.gs2Header = flag + "," + parts[1] + ","
	e.clientFirstBare = parts[2]
	clientNonce := ""
	for _, attr := range strings.Split(e.clientFirstBare, ",") {
		if strings.HasPrefix(attr, "m=") {
			return "", fmt.Errorf("%w: mandatory extension not supported", ErrProtocol)
		}
		if strings.HasPrefix(attr, "r=") {
			clientNonce = attr[2:]
		}
	}
	if clientNonce == "" || !printable(clientNonce) {
		return "", ErrProtocol
	}
	sn := e.serverNonce
	if sn == "" {
		var nb [18]byte
		_, _ = rand.Read(nb[:])
		sn = base64.StdEncoding.EncodeToString(nb[:])
	}
	e.nonce = clientNonce + sn
	e.serverFirst = fmt.Sprintf("r=%s,s=%s,i=%d", e.nonce, base64.StdEncoding.EncodeToString(e.Salt), e.Iterations)
	return e.serverFirst, nil
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e || s[i] == ',' {
			return false
		}
	}
	return true
}

// ClientFinal consumes the client-final-message, finds the candidate whose
// StoredKey the proof matches, and returns its index and the
// server-final-message. It returns ErrBadProof when none matches.
func (e *Exchange) ClientFinal(msg []byte, candidates []Keys) (int, string, error) {
	s := string(msg)
	i := strings.LastIndex(s, ",p=")
	if i < 0 {
		return -1, "", ErrProtocol
	}
	withoutProof, proofB64 := s[:i], s[i+3:]
	proof, err := base64.StdEncoding.DecodeString(proofB64)
	if err != nil || len(proof) != sha256.Size {
		return -1, "", ErrProtocol
	}
	var cbind, nonce string
	for _, attr := range strings.Split(withoutProof, ",") {
		switch {
		case strings.HasPrefix(attr, "c="):
			cbind = attr[2:]
		case strings.HasPrefix(attr, "r="):
			nonce = attr[2:]
		}
	}
	wantBind := []byte(e.gs2Header)
	if e.mechanism == SHA256Plus {
		wantBind = append(wantBind, e.Binding...)
	}
	gotBind, err := base64.StdEncoding.DecodeString(cbind)
	if err != nil {
		return -1, "", ErrProtocol
	}
	if subtle.ConstantTimeCompare(gotBind, wantBind) != 1 {
		return -1, "", ErrBinding
	}
	if nonce != e.nonce {
		return -1, "", ErrProtocol
	}
	authMessage := e.clientFirstBare + "," + e.serverFirst + "," + withoutProof
	clientKey := make([]byte, sha256.Size)
	found := -1
	// Check every candidate, so that timing does not tell which matched.
	for idx, c := range candidates {
		sig := hmacSum(c.StoredKey, authMessage)
		for j := range clientKey {
			clientKey[j] = proof[j] ^ sig[j]
		}
		sum := sha256.Sum256(clientKey)
		if subtle.ConstantTimeCompare(sum[:], c.StoredKey) == 1 && found < 0 {
			found = idx
		}
	}
	if found < 0 {
		return -1, "", ErrBadProof
	}
	serverSig := hmacSum(candidates[found].ServerKey, authMessage)
	return found, "v=" + base64.StdEncoding.EncodeToString(serverSig), nil
}
