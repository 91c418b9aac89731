//go:build !linux

package workspace

// totalMemory is the machine's memory in bytes (0: unknown).
func totalMemory() int64 { return 0 }
