package metastore

import "errors"

// Sentinel errors. Methods wrap them, so test with errors.Is.
var (
	// ErrNotFound: the object does not exist (or is not visible in the scope asked).
	ErrNotFound = errors.New("not found")
	// ErrConflict: a unique name is already taken.
	ErrConflict = errors.New("already exists")
	// ErrSecretKey: a sealed value cannot be opened with the configured key.
	ErrSecretKey = errors.New("secret cannot be decrypted with the configured key")
)
