package wire

import (
	"context"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// The extended query protocol ("Extended Query" in the protocol chapter):
// Parse, Bind, Describe, Execute, Close, Sync and Flush.

func (c *conn) parse(ctx context.Context, m *pgproto3.Parse) error {
	if m.Name != "" {
		if _, exists := c.stmts[m.Name]; exists {
			return pgerr.New("42P05", "prepared statement %q already exists", m.Name)
		}
		if len(c.stmts) >= maxPreparedStatements {
			return pgerr.New(pgerr.ConfigurationLimitExceeded, "too many prepared statements in this session (%d)", maxPreparedStatements).
				WithHint("Close (DEALLOCATE) statements you no longer need.")
		}
	}
	oids := append([]uint32(nil), m.ParameterOIDs...)
	ctx = context.WithValue(ctx, noticeKey{}, func(n *pgerr.Error) error {
		c.notice(n)
		return c.w.flush()
	})
	st, err := c.sess.Prepare(ctx, m.Query, oids)
	if err != nil {
		return err
	}
	if old := c.stmts[m.Name]; old != nil {
		old.Close()
	}
	if c.stmts == nil {
		c.stmts = map[string]PreparedStatement{}
	}
	c.stmts[m.Name] = st
	c.w.send(&pgproto3.ParseComplete{})
	return nil
}

// expandFormats turns Bind's format codes (none, one for all, or one
// each) into one per item.
func expandFormats(codes []int16, n int, what string) ([]int16, error) {
	out := make([]int16, n)
	switch len(codes) {
	case 0:
	case 1:
		for i := range out {
			out[i] = codes[0]
		}
	case n:
		copy(out, codes)
	default:
		return nil, pgerr.New(pgerr.ProtocolViolation, "bind message has %d %s formats but %d %ss", len(codes), what, n, what)
	}
	for _, f := range out {
		if f != pgproto3.TextFormat && f != pgproto3.BinaryFormat {
			return nil, pgerr.New(pgerr.ProtocolViolation, "unsupported format code: %d", f)
		}
	}
	return out, nil
}

func (c *conn) bind(ctx context.Context, m *pgproto3.Bind) error {
	st := c.stmts[m.PreparedStatement]
	if st == nil {
		return pgerr.New(pgerr.InvalidSQLStatementName, "prepared statement %q does not exist", m.PreparedStatement)
	}
	if m.DestinationPortal != "" {
		if _, exists := c.portals[m.DestinationPortal]; exists {
			return pgerr.New("42P03", "portal %q already exists", m.DestinationPortal)
		}
		if len(c.portals) >= maxPortals {
			return pgerr.New(pgerr.ConfigurationLimitExceeded, "too many open portals in this session (%d)", maxPortals)
		}
	}
	nparams := len(st.ParamOIDs())
	if len(m.Parameters) != nparams {
		return pgerr.New(pgerr.ProtocolViolation, "bind message supplies %d parameters, but prepared statement %q requires %d",
			len(m.Parameters), m.PreparedStatement, nparams)
	}
	paramFormats, err := expandFormats(m.ParameterFormatCodes, nparams, "parameter")
	if err != nil {
		return err
	}
	fields := st.Fields()
	resultFormats, err := expandFormats(m.ResultFormatCodes, len(fields), "result")
	if err != nil {
		return err
	}
	// The message buffer is reused: the statement gets its own copies.
	params := make([][]byte, nparams)
	for i, p := range m.Parameters {
		if p != nil {
			params[i] = append([]byte{}, p...)
		}
	}
	p, err := st.Bind(ctx, params, paramFormats, resultFormats)
	if err != nil {
		return err
	}
	if old := c.portals[m.DestinationPortal]; old != nil {
		old.p.Close()
	}
	// nil fields: the statement returns no rows, and Describe answers
	// NoData (an empty RowDescription would mean zero columns).
	var described []pgproto3.FieldDescription
	if fields != nil {
		described = make([]pgproto3.FieldDescription, len(fields))
		for i, f := range fields {
			f.Format = resultFormats[i]
			described[i] = f
		}
	}
	if c.portals == nil {
		c.portals = map[string]*portal{}
	}
	c.portals[m.DestinationPortal] = &portal{p: p, fields: described, formats: resultFormats}
	c.w.send(&pgproto3.BindComplete{})
	return nil
}

func (c *conn) describe(m *pgproto3.Describe) error {
	switch m.ObjectType {
	case 'S':
		st := c.stmts[m.Name]
		if st == nil {
			return pgerr.New(pgerr.InvalidSQLStatementName, "prepared statement %q does not exist", m.Name)
		}
		fields := st.Fields()
		if err := c.checkFailedDescribe(fields); err != nil {
			return err
		}
		c.w.send(&pgproto3.ParameterDescription{ParameterOIDs: st.ParamOIDs()})
		c.sendRowDescription(fields)
	case 'P':
		var fields []pgproto3.FieldDescription
		if p := c.portals[m.Name]; p != nil {
			fields = p.fields
		} else if d, ok := c.sess.(CursorDescriber); ok && m.Name != "" {
			if fields, ok = d.DescribeCursor(m.Name); !ok {
				return pgerr.New(pgerr.InvalidCursorName, "portal %q does not exist", m.Name)
			}
		} else {
			return pgerr.New(pgerr.InvalidCursorName, "portal %q does not exist", m.Name)
		}
		if err := c.checkFailedDescribe(fields); err != nil {
			return err
		}
		c.sendRowDescription(fields)
	default:
		return pgerr.New(pgerr.ProtocolViolation, "invalid DESCRIBE message subtype %d", m.ObjectType)
	}
	return nil
}

// checkFailedDescribe refuses, as PostgreSQL does, to describe rows in
// a failed transaction block (their types could need catalog access).
func (c *conn) checkFailedDescribe(fields []pgproto3.FieldDescription) error {
	if fields != nil && c.sess.TxStatus() == 'E' {
		return pgerr.New(pgerr.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	return nil
}

func (c *conn) sendRowDescription(fields []pgproto3.FieldDescription) {
	if fields == nil {
		c.w.send(&pgproto3.NoData{})
		return
	}
	c.w.send(&pgproto3.RowDescription{Fields: fields})
}

func (c *conn) execute(ctx context.Context, m *pgproto3.Execute) error {
	p := c.portals[m.Portal]
	if p == nil {
		return pgerr.New(pgerr.InvalidCursorName, "portal %q does not exist", m.Portal)
	}
	rw := newResultWriter(c, true, p.formats)
	suspended, err := p.p.Execute(ctx, rw, int(m.MaxRows))
	if err != nil {
		return err
	}
	if suspended {
		c.w.send(&pgproto3.PortalSuspended{})
	}
	return c.w.maybeFlush()
}

func (c *conn) closeObject(m *pgproto3.Close) {
	switch m.ObjectType {
	case 'S':
		if st := c.stmts[m.Name]; st != nil {
			st.Close()
			delete(c.stmts, m.Name)
		}
	case 'P':
		if p := c.portals[m.Name]; p != nil {
			p.p.Close()
			delete(c.portals, m.Name)
		}
	default:
		c.queryError(pgerr.New(pgerr.ProtocolViolation, "invalid CLOSE message subtype %d", m.ObjectType), false)
		c.skipUntilSync = true
		return
	}
	// Closing what does not exist is not an error.
	c.w.send(&pgproto3.CloseComplete{})
}
