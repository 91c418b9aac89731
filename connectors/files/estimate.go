package files

import (
	"bytes"
	"io"
	"os"
	"strings"
)

// sampleBytes is how much of a file the row estimate reads.
const sampleBytes = 64 << 10

// estimateRows guesses the rows of a line-based file (CSV, NDJSON) from
// its size and the lines in its first 64 KiB; it is exact for a file that
// fits in the sample and has no quoted line breaks. JSON documents and
// compressed files get 0 (unknown): their size says little.
func estimateRows(abs string, f File) int64 {
	lower := strings.ToLower(f.Path)
	if f.Format == FormatJSON || strings.HasSuffix(lower, ".gz") || strings.HasSuffix(lower, ".zst") {
		return 0
	}
	file, err := os.Open(abs)
	if err != nil {
		return 0
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil || info.Size() == 0 {
		return 0
	}
	buf := make([]byte, sampleBytes)
	n, err := io.ReadFull(file, buf)
	if err != nil && err != io.ErrUnexpectedEOF {
		return 0
	}
	buf = buf[:n]
	lines := int64(bytes.Count(buf, []byte{'\n'}))
	var rows int64
	if int64(n) == info.Size() {
		rows = lines
		if buf[n-1] != '\n' {
			rows++ // a last line without a line break
		}
	} else {
		if lines == 0 {
			return 0
		}
		rows = info.Size() * lines / int64(n)
	}
	// A CSV header is usually sniffed as one.
	if f.Format == FormatCSV && (f.Header == nil || *f.Header) && rows > 0 {
		rows--
	}
	return rows
}
