package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Change data capture from the binary log.
//
// MySQL and MariaDB write every committed change to the binary log; a
// stream reads it as a replica would (COM_BINLOG_DUMP, with
// github.com/go-mysql-org/go-mysql), from a position (a binlog file and
// an offset in it). Unlike PostgreSQL there is nothing to create
// upstream: no slot holds the log for Hotdata, the server keeps it for
// its own retention time (binlog_expire_logs_seconds, expire_logs_days),
// and Hotdata keeps each table's position itself, as its snapshot's
// watermark. A stream starts reading at the earliest position its
// tables need; a table whose position the server no longer has is read
// again.
//
// The server needs log_bin on, binlog_format = ROW (a statement-logged
// change has no rows to apply) and binlog_row_image = FULL (an update
// must carry the whole row), and the user REPLICATION SLAVE and
// REPLICATION CLIENT (MariaDB: BINLOG MONITOR) privileges.
//
// A first read is consistent with a position: MariaDB reports the
// binlog position of a transaction started WITH CONSISTENT SNAPSHOT
// (binlog_snapshot_file and _position); on MySQL the read takes a global
// read lock for the moment it takes to start the transaction and read
// the position (FLUSH TABLES WITH READ LOCK, which needs RELOAD).
//
// A position is "file:offset/check": check names the log's identity at
// that point, the GTID position there on MariaDB (BINLOG_GTID_POS) or
// the server's UUID on MySQL, so that a log reset (RESET MASTER) or
// another server behind the same address is noticed and the table read
// again rather than resumed at a place that means something else.

var _ connectors.CDC = (*Connector)(nil)

// OpenStream checks the server's binary log settings and opens a stream.
// It reads nothing until the first Read: by then its tables have said
// which position each needs.
func (c *Connector) OpenStream(ctx context.Context, name string) (connectors.Stream, error) {
	if err := connectors.CheckStreamName(name); err != nil {
		return nil, err
	}
	if err := c.connect(ctx); err != nil {
		return nil, err
	}
	info, err := c.binlogInfo(ctx)
	if err != nil {
		return nil, err
	}
	return newStream(c, name, info), nil
}

// DropStream has nothing to drop: a binlog stream creates nothing
// upstream (the server keeps its log for its own retention time).
func (c *Connector) DropStream(ctx context.Context, name string) error {
	if err := connectors.CheckStreamName(name); err != nil {
		return err
	}
	return nil
}

// serverInfo is what a stream needs to know of the server.
type serverInfo struct {
	mariadb bool
	uuid    string // MySQL's server_uuid ("" on MariaDB)
}

// binlogInfo says, before anything is read, why the server cannot
// stream changes.
func (c *Connector) binlogInfo(ctx context.Context) (serverInfo, error) {
	var info serverInfo
	var logBin, format, image, version string
	err := c.db.QueryRowContext(ctx, `SELECT @@log_bin, @@binlog_format, @@binlog_row_image, VERSION()`).Scan(&logBin, &format, &image, &version)
	if err != nil {
		return info, fmt.Errorf("cdc: read the binlog settings: %w", err)
	}
	info.mariadb = mariaDBVersion(version)
	switch {
	case logBin != "1" && !strings.EqualFold(logBin, "on"):
		return info, fmt.Errorf("%w: the server's binary log is off; change data capture needs it (log_bin, with binlog_format = ROW, in the server's configuration, and a restart)", connectors.ErrCDCUnsupported)
	case !strings.EqualFold(format, "ROW"):
		return info, fmt.Errorf("%w: the server's binlog_format is %s: changes logged as statements carry no rows to apply; set binlog_format = ROW", connectors.ErrCDCUnsupported, format)
	case !strings.EqualFold(image, "FULL"):
		return info, fmt.Errorf("%w: the server's binlog_row_image is %s: updates must carry the whole row; set binlog_row_image = FULL", connectors.ErrCDCUnsupported, image)
	}
	if _, err := c.masterStatus(ctx, c.db); err != nil {
		return info, err
	}
	if !info.mariadb {
		if err := c.db.QueryRowContext(ctx, `SELECT @@server_uuid`).Scan(&info.uuid); err != nil {
			return info, fmt.Errorf("cdc: read server_uuid: %w", err)
		}
	}
	return info, nil
}

// masterStatus is the server's current binlog position.
func (c *Connector) masterStatus(ctx context.Context, q querier) (binlogPos, error) {
	rows, err := q.QueryContext(ctx, `SHOW MASTER STATUS`)
	var me *mysql.MySQLError
	if errors.As(err, &me) && me.Number == 1064 {
		// MySQL 8.4 renamed it.
		rows, err = q.QueryContext(ctx, `SHOW BINARY LOG STATUS`)
	}
	if err != nil {
		if errors.As(err, &me) && (me.Number == 1227 || me.Number == 1044) {
			return binlogPos{}, fmt.Errorf("%w: user %q may not read the binary log; grant it REPLICATION SLAVE and REPLICATION CLIENT (on MariaDB also BINLOG MONITOR)", connectors.ErrCDCUnsupported, c.cfg.User)
		}
		return binlogPos{}, fmt.Errorf("cdc: SHOW MASTER STATUS: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return binlogPos{}, err
	}
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return binlogPos{}, err
		}
		return binlogPos{}, fmt.Errorf("%w: the server reports no binary log position (is log_bin on?)", connectors.ErrCDCUnsupported)
	}
	vals := make([]sql.RawBytes, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	if err := rows.Scan(dest...); err != nil {
		return binlogPos{}, err
	}
	pos, err := strconv.ParseUint(string(vals[1]), 10, 32)
	if err != nil {
		return binlogPos{}, fmt.Errorf("cdc: SHOW MASTER STATUS position %q: %w", vals[1], err)
	}
	return binlogPos{file: string(vals[0]), pos: uint32(pos)}, rows.Err()
}

// binlogPos is a place in the binary log: the start of the next event.
type binlogPos struct {
	file  string
	pos   uint32
	check string // see the package comment; "" when unknown
}

func (p binlogPos) String() string {
	if p.file == "" {
		return ""
	}
	s := p.file + ":" + strconv.FormatUint(uint64(p.pos), 10)
	if p.check != "" {
		s += "/" + p.check
	}
	return s
}

// parsePos reads a position's text.
func parsePos(s string) (binlogPos, error) {
	var p binlogPos
	rest, check, _ := strings.Cut(s, "/")
	i := strings.LastIndexByte(rest, ':')
	if i <= 0 {
		return p, fmt.Errorf("binlog position %q: want file:offset", s)
	}
	n, err := strconv.ParseUint(rest[i+1:], 10, 32)
	if err != nil {
		return p, fmt.Errorf("binlog position %q: %w", s, err)
	}
	p.file, p.pos, p.check = rest[:i], uint32(n), check
	if _, ok := p.index(); !ok {
		return p, fmt.Errorf("binlog position %q: the file name has no sequence number", s)
	}
	return p, nil
}

// index is the binlog file's sequence number (its name's last part).
func (p binlogPos) index() (uint64, bool) {
	i := strings.LastIndexByte(p.file, '.')
	if i < 0 {
		return 0, false
	}
	n, err := strconv.ParseUint(p.file[i+1:], 10, 64)
	return n, err == nil
}

// compare orders positions of one server's log.
func (p binlogPos) compare(q binlogPos) int {
	a, _ := p.index()
	b, _ := q.index()
	if a != b {
		if a < b {
			return -1
		}
		return 1
	}
	switch {
	case p.pos < q.pos:
		return -1
	case p.pos > q.pos:
		return 1
	}
	return 0
}

// seq orders a change: a row of the event at p (its index in the event
// times two, plus one for the second half of a key change). Positions
// are at most 2^32 and files under 2^20; an event of n rows spans at
// least n bytes, so the next event's values are greater.
func seqOf(p binlogPos, eventStart uint32, row int) int64 {
	idx, _ := p.index()
	return int64(idx&(1<<19-1))<<44 | int64(eventStart)<<12 + int64(row)
}

// replicaID is the server id the stream reads the log as: the same for
// a stream every time, far from the small ids people give servers.
func replicaID(name string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(name))
	return 1<<30 | h.Sum32()&(1<<30-1)
}

// gtidCheck is the GTID position at a binlog position (MariaDB), for
// the position's check.
func (c *Connector) gtidCheck(ctx context.Context, q querier, p binlogPos) (string, error) {
	var g sql.NullString
	if err := q.QueryRowContext(ctx, `SELECT BINLOG_GTID_POS(?, ?)`, p.file, p.pos).Scan(&g); err != nil {
		return "", fmt.Errorf("cdc: BINLOG_GTID_POS(%s, %d): %w", p.file, p.pos, err)
	}
	return normalGTIDs(g.String), nil
}

// normalGTIDs sorts a GTID position's domains ("0-1-5,1-2-7").
func normalGTIDs(s string) string {
	if s == "" {
		return ""
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

// withCheck fills a position's check.
func (c *Connector) withCheck(ctx context.Context, info serverInfo, p binlogPos) (binlogPos, error) {
	if !info.mariadb {
		p.check = info.uuid
		return p, nil
	}
	g, err := c.gtidCheck(ctx, c.db, p)
	if err != nil {
		return p, err
	}
	// An empty GTID position (a log that has none yet) still tells a
	// log from a reset one: "-" rather than "" (unknown).
	if g == "" {
		g = "-"
	}
	p.check = g
	return p, nil
}

// stillThere reports why the server can no longer stream from p (its
// file purged, the log reset, another server); nil when it can.
func (c *Connector) stillThere(ctx context.Context, info serverInfo, p binlogPos) error {
	logs, err := c.binaryLogs(ctx)
	if err != nil {
		return err
	}
	found := false
	var size int64
	for _, l := range logs {
		if l.file == p.file {
			found, size = true, l.size
		}
	}
	if !found {
		return fmt.Errorf("the server no longer has binlog file %s (purged)", p.file)
	}
	if int64(p.pos) > size {
		return fmt.Errorf("binlog file %s is shorter than position %d (the log was reset)", p.file, p.pos)
	}
	want, err := c.withCheck(ctx, info, binlogPos{file: p.file, pos: p.pos})
	if err != nil {
		return err
	}
	if p.check == "" || want.check != p.check {
		return fmt.Errorf("the binary log at %s:%d is not the one the position was taken from (%q, now %q): reset, or another server", p.file, p.pos, p.check, want.check)
	}
	return nil
}

// binaryLog is one file of the server's binary log.
type binaryLog struct {
	file string
	size int64
}

// binaryLogs lists the server's binary log files, oldest first.
func (c *Connector) binaryLogs(ctx context.Context) ([]binaryLog, error) {
	rows, err := c.db.QueryContext(ctx, `SHOW BINARY LOGS`)
	if err != nil {
		return nil, fmt.Errorf("cdc: SHOW BINARY LOGS: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]sql.RawBytes, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	var out []binaryLog
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		size, _ := strconv.ParseInt(string(vals[1]), 10, 64)
		out = append(out, binaryLog{file: string(vals[0]), size: size})
	}
	return out, rows.Err()
}
