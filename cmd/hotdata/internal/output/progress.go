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
	// status is a NewStatus spinner; bar is set once it became a bar.
	status, isBar bool
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

// NewStatus is a spinner with a changing description; once Fraction
// is given a fraction from 0 to 1 it becomes a bar.
func NewStatus(w io.Writer, show bool, desc string) *Progress {
	if !show {
		return &Progress{}
	}
	return &Progress{bar: progressbar.NewOptions(-1,
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
	), status: true}
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
		_ = p.bar.Add(1) // a spinner turns on every added step
		return
	}
	if p.status && !p.isBar {
		p.bar.ChangeMax(1000)
		p.isBar = true
	}
	_ = p.bar.Set(int(f * 1000))
}

// Finish completes the bar and ends its line.
func (p *Progress) Finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

// Clear erases the bar's line (a spinner that is no longer needed).
func (p *Progress) Clear() {
	if p.bar != nil {
		_ = p.bar.Clear()
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
