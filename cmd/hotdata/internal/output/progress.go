package output

import (
	"fmt"
	"io"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/schollz/progressbar/v3"
)

// Progress shows how far something is on a terminal: a bar when the
// total is known, a spinner otherwise. On anything else it shows nothing.
type Progress struct {
	bar *progressbar.ProgressBar
}

// NewBytes is a bar over total bytes (a spinner when total < 0).
func NewBytes(w io.Writer, show bool, total int64, desc string) *Progress {
	if !show {
		return &Progress{}
	}
	return &Progress{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionFullWidth(),
		progressbar.OptionUseANSICodes(true),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)}
}

// NewStatus is a bar of a fraction from 0 to 1 (a spinner when the
// fraction is unknown) with a changing description.
func NewStatus(w io.Writer, show bool, desc string) *Progress {
	if !show {
		return &Progress{}
	}
	return &Progress{bar: progressbar.NewOptions(1000,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionUseANSICodes(true),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)}
}

// Reader counts what r reads on the bar.
func (p *Progress) Reader(r io.Reader) io.Reader {
	if p.bar == nil {
		return r
	}
	rd := progressbar.NewReader(r, p.bar)
	return &rd
}

// Describe changes the words beside the bar.
func (p *Progress) Describe(desc string) {
	if p.bar != nil {
		p.bar.Describe(desc)
	}
}

// Fraction moves the bar to f (0..1); a negative f spins.
func (p *Progress) Fraction(f float64) {
	if p.bar == nil {
		return
	}
	if f < 0 {
		_ = p.bar.Add(0)
		return
	}
	_ = p.bar.Set(int(f * 1000))
}

// Finish completes the bar and ends its line.
func (p *Progress) Finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

// Abandon stops the bar where it is.
func (p *Progress) Abandon() {
	if p.bar != nil {
		_ = p.bar.Exit()
	}
}

// RowsBytes describes rows and bytes: "12,345 rows · 3.4 MB".
func RowsBytes(rows, bytes int64) string {
	return fmt.Sprintf("%s rows · %s", humanize.Comma(rows), humanize.Bytes(uint64(max(bytes, 0))))
}
