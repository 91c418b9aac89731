// HotdataClient reads the client-matrix fixture with pgjdbc and prints
// what it read as one line of JSON, for clienttest's Go tests to compare.
//
// Usage: java -cp postgresql.jar:. HotdataClient types|big|prepared|cancel
// The connection comes from PGHOST, PGPORT, PGDATABASE, PGUSER,
// PGPASSWORD and PGSSLMODE; HD_JDBC_PROPS adds driver properties
// ("name=value;name=value").
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.postgresql.util.PGInterval;

public class HotdataClient {
    static final String SELECT_ALL_TYPES = "SELECT id, b, i2, i4, i8, f4, f8, n, t, vc, c, bt, d, tm, ts, tstz, iv, u, j, jb, iarr, tarr FROM alltypes ORDER BY id";
    static final String SELECT_BIG = "SELECT id, v, s FROM big ORDER BY id";
    static final String LONG_QUERY = "SELECT count(*) FROM big a, big b WHERE a.s || b.s = 'x'";
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    public static void main(String[] args) throws Exception {
        try (Connection conn = connect()) {
            switch (args[0]) {
                case "types": System.out.println(types(conn)); break;
                case "big": System.out.println(big(conn)); break;
                case "prepared": System.out.println(prepared(conn)); break;
                case "cancel": System.out.println(cancel(conn)); break;
                default: throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        }
    }

    static String env(String name) {
        String v = System.getenv(name);
        if (v == null) throw new IllegalStateException(name + " is not set");
        return v;
    }

    static Connection connect() throws SQLException {
        String url = "jdbc:postgresql://" + env("PGHOST") + ":" + env("PGPORT") + "/" + env("PGDATABASE");
        Properties p = new Properties();
        p.setProperty("user", env("PGUSER"));
        String pw = System.getenv("PGPASSWORD");
        if (pw != null && !pw.isEmpty()) p.setProperty("password", pw);
        // require: encrypted, the certificate is not verified (pgjdbc's
        // NonValidatingFactory for require).
        p.setProperty("sslmode", env("PGSSLMODE"));
        String extra = System.getenv("HD_JDBC_PROPS");
        if (extra != null && !extra.isEmpty()) {
            for (String kv : extra.split(";")) {
                String[] f = kv.split("=", 2);
                p.setProperty(f[0], f[1]);
            }
        }
        return DriverManager.getConnection(url, p);
    }

    // types reads every column with the getter a Java user would use.
    static String types(Connection conn) throws SQLException {
        Json out = new Json();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(SELECT_ALL_TYPES)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> cols = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                // A metadata call that fails is reported as the type, so
                // that the values are still compared.
                String type;
                try {
                    type = md.getColumnTypeName(i);
                } catch (SQLException e) {
                    type = "getColumnTypeName failed: " + e.getMessage();
                }
                try {
                    type += " (java.sql.Types " + md.getColumnType(i) + ")";
                } catch (SQLException e) {
                    type += " (getColumnType failed: " + e.getMessage() + ")";
                }
                cols.add(new Json().field("name", md.getColumnLabel(i)).field("type", type).toString());
            }
            out.raw("columns", "[" + String.join(",", cols) + "]");
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                Json row = new Json();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.raw(md.getColumnLabel(i), cell(rs, i, md.getColumnLabel(i)));
                }
                rows.add(row.toString());
            }
            out.raw("rows", "[" + String.join(",", rows) + "]");
        }
        return out.toString();
    }

    static String cell(ResultSet rs, int i, String col) {
        Object o;
        try {
            o = rs.getObject(i);
        } catch (Exception e) {
            return new Json().field("err", "getObject: " + e).toString();
        }
        if (o == null) return "null";
        Json c = new Json().field("t", o.getClass().getName());
        try {
            String v;
            switch (col) {
                case "id": case "i4": v = Integer.toString(rs.getInt(i)); break;
                case "b": v = Boolean.toString(rs.getBoolean(i)); break;
                case "i2": v = Short.toString(rs.getShort(i)); break;
                case "i8": v = Long.toString(rs.getLong(i)); break;
                case "f4": v = Float.toString(rs.getFloat(i)); break;
                case "f8": v = Double.toString(rs.getDouble(i)); break;
                case "n": v = rs.getBigDecimal(i).toPlainString(); break;
                case "t": case "vc": case "c": case "j": case "jb": v = rs.getString(i); break;
                case "bt": v = hex(rs.getBytes(i)); break;
                case "d": v = rs.getObject(i, LocalDate.class).toString(); break;
                case "tm": v = rs.getObject(i, LocalTime.class).format(TIME); break;
                case "ts": v = rs.getObject(i, LocalDateTime.class).format(TIMESTAMP); break;
                case "tstz": v = rs.getObject(i, OffsetDateTime.class).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME); break;
                case "iv": v = interval((PGInterval) o); break;
                case "u": v = rs.getObject(i, UUID.class).toString(); break;
                case "iarr": case "tarr": v = array(rs.getArray(i)); break;
                default: throw new IllegalArgumentException("unknown column " + col);
            }
            c.field("v", v);
        } catch (Exception e) {
            c.field("err", e.toString());
        }
        return c.toString();
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x", x));
        return sb.toString();
    }

    static String interval(PGInterval iv) {
        long months = iv.getYears() * 12L + iv.getMonths();
        long us = ((iv.getHours() * 60L + iv.getMinutes()) * 60L) * 1_000_000L + Math.round(iv.getSeconds() * 1_000_000.0);
        return "m=" + months + " d=" + iv.getDays() + " us=" + us;
    }

    static String array(Array a) throws SQLException {
        Object[] elems = (Object[]) a.getArray();
        List<String> out = new ArrayList<>();
        for (Object e : elems) {
            if (e == null) out.add("null");
            else if (e instanceof Number) out.add(e.toString());
            else out.add(Json.quote(e.toString()));
        }
        return "[" + String.join(",", out) + "]";
    }

    // big streams 100,000 rows with a fetch size (autocommit off: a
    // portal read 1,000 rows at a time).
    static String big(Connection conn) throws SQLException {
        conn.setAutoCommit(false);
        long count = 0, sumID = 0, sumV = 0, sumLen = 0, bad = 0;
        try (Statement st = conn.createStatement()) {
            st.setFetchSize(1000);
            try (ResultSet rs = st.executeQuery(SELECT_BIG)) {
                while (rs.next()) {
                    long id = rs.getLong(1), v = rs.getLong(2);
                    String s = rs.getString(3);
                    count++;
                    sumID += id;
                    sumV += v;
                    sumLen += s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                    if (id != count || v != 3 * id || !s.equals("row " + id)) bad++;
                }
            }
        }
        conn.commit();
        return new Json().num("count", count).num("sum_id", sumID).num("sum_v", sumV).num("sum_len_s", sumLen).num("bad", bad).toString();
    }

    static String prepared(Connection conn) throws SQLException {
        Json out = new Json();
        try (PreparedStatement q1 = conn.prepareStatement("SELECT id, t FROM alltypes WHERE i4 >= ? AND t = ? ORDER BY id");
             PreparedStatement q2 = conn.prepareStatement("SELECT count(*) AS n, sum(v) AS total FROM big WHERE id BETWEEN ? AND ?")) {
            Object[][] q1Params = {{0, "hello, \"ünïcode\" ✓"}, {-2147483648, ""}};
            String[] q1Keys = {"q1a", "q1b"};
            for (int k = 0; k < 2; k++) {
                q1.setInt(1, (Integer) q1Params[k][0]);
                q1.setString(2, (String) q1Params[k][1]);
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = q1.executeQuery()) {
                    while (rs.next()) {
                        rows.add("[" + Json.quote(Integer.toString(rs.getInt(1))) + "," + Json.quote(rs.getString(2)) + "]");
                    }
                }
                out.raw(q1Keys[k], "[" + String.join(",", rows) + "]");
            }
            long[][] q2Params = {{10, 19}, {1, 100000}};
            String[] q2Keys = {"big_a", "big_b"};
            for (int k = 0; k < 2; k++) {
                q2.setLong(1, q2Params[k][0]);
                q2.setLong(2, q2Params[k][1]);
                try (ResultSet rs = q2.executeQuery()) {
                    rs.next();
                    BigDecimal total = rs.getBigDecimal("total");
                    out.raw(q2Keys[k], "[" + Json.quote(Long.toString(rs.getLong("n"))) + "," + Json.quote(total.toPlainString()) + "]");
                }
            }
        }
        return out.toString();
    }

    // cancel runs the long query and cancels it from another thread with
    // Statement.cancel after 200 ms.
    static String cancel(Connection conn) throws Exception {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM big")) {
            rs.next();
        }
        Json out = new Json();
        try (Statement st = conn.createStatement()) {
            Thread canceller = new Thread(() -> {
                try {
                    Thread.sleep(200);
                    st.cancel();
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            long began = System.nanoTime();
            canceller.start();
            try (ResultSet rs = st.executeQuery(LONG_QUERY)) {
                rs.next();
                out.field("sqlstate", "").field("message", "the query was not cancelled: " + rs.getString(1));
            } catch (SQLException e) {
                out.field("sqlstate", e.getSQLState()).field("message", e.getMessage());
            }
            out.num("elapsed_ms", (System.nanoTime() - began) / 1_000_000);
            canceller.join();
        }
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM big")) {
            rs.next();
            out.field("after", Long.toString(rs.getLong(1)));
        } catch (SQLException e) {
            out.field("after", "error: " + e);
        }
        return out.toString();
    }

    // Json builds one JSON object.
    static class Json {
        private final StringBuilder sb = new StringBuilder("{");

        private Json key(String k) {
            if (sb.length() > 1) sb.append(',');
            sb.append(quote(k)).append(':');
            return this;
        }

        Json field(String k, String v) {
            key(k).sb.append(v == null ? "null" : quote(v));
            return this;
        }

        Json num(String k, long v) {
            key(k).sb.append(v);
            return this;
        }

        Json raw(String k, String json) {
            key(k).sb.append(json);
            return this;
        }

        @Override
        public String toString() {
            return sb + "}";
        }

        static String quote(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char ch : s.toCharArray()) {
                switch (ch) {
                    case '"': b.append("\\\""); break;
                    case '\\': b.append("\\\\"); break;
                    case '\n': b.append("\\n"); break;
                    case '\r': b.append("\\r"); break;
                    case '\t': b.append("\\t"); break;
                    default:
                        if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
                        else b.append(ch);
                }
            }
            return b.append('"').toString();
        }
    }
}
