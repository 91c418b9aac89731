// HotdataMeta reads pgjdbc's DatabaseMetaData of the client-matrix
// fixture and prints every result set as one line of JSON, for
// clienttest's Go tests to compare.
//
// Usage: java -cp postgresql.jar:. HotdataMeta <schema>
// where <schema> is the fixture's schema: "src.public" through Hotdata,
// "public" on the upstream PostgreSQL. The connection comes from PGHOST,
// PGPORT, PGDATABASE, PGUSER, PGPASSWORD and PGSSLMODE, as for
// HotdataClient.
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

public class HotdataMeta {
    public static void main(String[] args) throws Exception {
        String schema = args[0];
        try (Connection conn = connect()) {
            DatabaseMetaData md = conn.getMetaData();
            StringBuilder out = new StringBuilder("{");
            out.append(HotdataClient.Json.quote("database_product")).append(':')
                .append(HotdataClient.Json.quote(md.getDatabaseProductName())).append(',');
            // Each call is reported as its rows, or the error it raised, so
            // that one failing call does not hide the others.
            result(out, "catalogs", () -> md.getCatalogs());
            out.append(',');
            result(out, "schemas", () -> md.getSchemas());
            out.append(',');
            result(out, "schemas_like", () -> md.getSchemas(null, schema.substring(0, 3) + "%"));
            out.append(',');
            result(out, "tables", () -> md.getTables(null, schema, "%", new String[] {"TABLE"}));
            out.append(',');
            result(out, "table_types", () -> md.getTableTypes());
            out.append(',');
            result(out, "columns", () -> md.getColumns(null, schema, "alltypes", "%"));
            out.append(',');
            result(out, "primary_keys", () -> md.getPrimaryKeys(null, schema, "alltypes"));
            out.append(',');
            result(out, "index_info", () -> md.getIndexInfo(null, schema, "alltypes", false, true));
            out.append(',');
            result(out, "type_info", () -> md.getTypeInfo());
            out.append(',').append(HotdataClient.Json.quote("sql_keywords")).append(':');
            try {
                out.append(new HotdataClient.Json().field("value", md.getSQLKeywords()));
            } catch (SQLException e) {
                out.append(new HotdataClient.Json().field("error", e.getSQLState() + ": " + e.getMessage()));
            }
            out.append('}');
            System.out.println(out);
        }
    }

    interface Call {
        ResultSet get() throws SQLException;
    }

    // result appends "name": {"rows": [...]} or {"error": "..."}; each row
    // maps the result set's column labels to the values' getString.
    static void result(StringBuilder out, String name, Call call) {
        out.append(HotdataClient.Json.quote(name)).append(':');
        try (ResultSet rs = call.get()) {
            ResultSetMetaData rmd = rs.getMetaData();
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                HotdataClient.Json row = new HotdataClient.Json();
                for (int i = 1; i <= rmd.getColumnCount(); i++) {
                    row.field(rmd.getColumnLabel(i).toLowerCase(), rs.getString(i));
                }
                rows.add(row.toString());
            }
            out.append("{\"rows\":[").append(String.join(",", rows)).append("]}");
        } catch (SQLException e) {
            out.append(new HotdataClient.Json().field("error", e.getSQLState() + ": " + e.getMessage()));
        }
    }

    static Connection connect() throws SQLException {
        String url = "jdbc:postgresql://" + HotdataClient.env("PGHOST") + ":" + HotdataClient.env("PGPORT") + "/" + HotdataClient.env("PGDATABASE");
        Properties p = new Properties();
        p.setProperty("user", HotdataClient.env("PGUSER"));
        String pw = System.getenv("PGPASSWORD");
        if (pw != null && !pw.isEmpty()) p.setProperty("password", pw);
        p.setProperty("sslmode", HotdataClient.env("PGSSLMODE"));
        return DriverManager.getConnection(url, p);
    }
}
