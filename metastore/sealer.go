package metastore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the length of the secret-sealing key: AES-256.
const KeySize = 32

// sealVersion is the first byte of every sealed value, so that the format
// (or the key) can change later without guessing.
const sealVersion = 1

// Sealer encrypts secret values with AES-256-GCM. The row's id is bound in
// as additional data, so a sealed value copied onto another row does not open.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer returns a Sealer for a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plaintext bound to id: version byte, random nonce, ciphertext.
func (s *Sealer) Seal(id string, plaintext []byte) []byte {
	out := make([]byte, 1+s.aead.NonceSize(), 1+s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	out[0] = sealVersion
	_, _ = rand.Read(out[1:])
	return s.aead.Seal(out, out[1:], plaintext, []byte(id))
}

// Open decrypts a value made by Seal for the same id.
func (s *Sealer) Open(id string, sealed []byte) ([]byte, error) {
	ns := s.aead.NonceSize()
	if len(sealed) < 1+ns || sealed[0] != sealVersion {
		return nil, ErrSecretKey
	}
	pt, err := s.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], []byte(id))
	if err != nil {
		return nil, ErrSecretKey
	}
	return pt, nil
}

// LoadKey returns the secret-sealing key: from envValue when it is set
// (64 hex digits or standard base64 of 32 bytes), else from keyFile, which
// is created with a new random key (mode 0600) when it does not exist.
// A key file readable by group or others is refused.
func LoadKey(envValue, keyFile string) ([]byte, error) {
	if envValue = strings.TrimSpace(envValue); envValue != "" {
		return parseKey(envValue)
	}
	info, err := os.Stat(keyFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		key := make([]byte, KeySize)
		_, _ = rand.Read(key)
		if err := os.MkdirAll(filepath.Dir(keyFile), 0o700); err != nil {
			return nil, fmt.Errorf("create secret key: %w", err)
		}
		f, err := os.OpenFile(keyFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			// Another process made it first: use theirs.
			return LoadKey("", keyFile)
		}
		if err != nil {
			return nil, fmt.Errorf("create secret key: %w", err)
		}
		if _, err := f.Write(key); err != nil {
			f.Close()
			os.Remove(keyFile)
			return nil, fmt.Errorf("write secret key: %w", err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, fmt.Errorf("write secret key: %w", err)
		}
		return key, f.Close()
	case err != nil:
		return nil, fmt.Errorf("read secret key: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("secret key file %s has mode %v: it must be readable by its owner only (chmod 600)", keyFile, info.Mode().Perm())
	}
	key, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("read secret key: %w", err)
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret key file %s holds %d bytes, want %d", keyFile, len(key), KeySize)
	}
	return key, nil
}

func parseKey(v string) ([]byte, error) {
	if len(v) == 2*KeySize {
		if k, err := hex.DecodeString(v); err == nil {
			return k, nil
		}
	}
	if k, err := base64.StdEncoding.DecodeString(v); err == nil && len(k) == KeySize {
		return k, nil
	}
	return nil, fmt.Errorf("HOTDATA_SECRET_KEY must be %d bytes as 64 hex digits or base64 (make one with: openssl rand -hex 32)", KeySize)
}
