import { useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { api, authHeaders, must, type Schemas } from "../api/client";
import { Action, ErrorBox, Field, ago, useLoad } from "../ui/kit";
import { Chart, chartable } from "../ui/chart";

type Header = { "X-Workspace-Id": string };

// Sql: an editor (Ctrl+Enter runs), the result in a virtually scrolled
// grid that loads pages of the stored result as they come into view,
// downloads (CSV, Parquet, Arrow), a chart, the history of query runs
// and saved queries.
export function Sql({ ws }: { ws: string }) {
  const header = { "X-Workspace-Id": ws };
  const [sql, setSql] = useState("SELECT 1 AS one");
  const [res, setRes] = useState<Schemas["QueryResponse"]>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const runs = useLoad(() => must(api.GET("/v1/query-runs", { params: { header, query: { limit: 20 } } })), []);
  const saved = useLoad(() => must(api.GET("/v1/queries", { params: { header } })), []);
  async function run() {
    setBusy(true);
    setError(undefined);
    try {
      const out = await must(api.POST("/v1/query", { params: { header }, body: { sql } }));
      // Without async the answer is the result itself (202 only when asked).
      if (!("columns" in out)) throw new Error(`the query goes on running: ${out.status_url}`);
      setRes(out);
    } catch (e) {
      setRes(undefined);
      setError(e);
    } finally {
      setBusy(false);
      runs.reload();
    }
  }
  return (
    <div className="sql">
      <section aria-labelledby="sql-h" className="editor">
        <h1 id="sql-h">SQL</h1>
        <label htmlFor="sql-text">Query (Ctrl+Enter runs it)</label>
        <textarea
          id="sql-text"
          spellCheck={false}
          rows={8}
          value={sql}
          onChange={(e) => setSql(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void run();
            }
          }}
        />
        <div className="actions">
          <button type="button" className="primary" disabled={busy} onClick={run}>
            {busy ? "Running…" : "Run"}
          </button>
          <SaveQuery header={header} sql={sql} onSaved={saved.reload} />
        </div>
        <ErrorBox error={error} />
        {res && <Result key={res.result_id} header={header} res={res} />}
      </section>
      <aside aria-label="History and saved queries">
        <h2>Saved queries</h2>
        <ul className="list">
          {(saved.data?.queries ?? []).map((q) => (
            <li key={q.id}>
              <button type="button" className="link" onClick={() => setSql(q.sql)}>
                {q.name}
              </button>{" "}
              <Action
                label={`Delete ${q.name}`}
                className="small"
                run={async () => {
                  await must(api.DELETE("/v1/queries/{id}", { params: { header, path: { id: q.id } } }));
                  saved.reload();
                }}
              />
            </li>
          ))}
        </ul>
        <h2>History</h2>
        <ul className="list">
          {(runs.data?.query_runs ?? []).map((r) => (
            <li key={r.id}>
              <button type="button" className="link" title={r.sql_text} onClick={() => setSql(r.sql_text)}>
                {r.sql_text.slice(0, 60)}
              </button>
              <small>
                {" "}
                {r.status}, {r.row_count} rows, {ago(r.created_at)}
              </small>
            </li>
          ))}
        </ul>
      </aside>
    </div>
  );
}

function SaveQuery({ header, sql, onSaved }: { header: Header; sql: string; onSaved: () => void }) {
  const [name, setName] = useState("");
  return (
    <span className="inline">
      <Field label="Save as" value={name} onChange={setName} />
      <Action
        label="Save query"
        disabled={!name}
        run={async () => {
          await must(api.POST("/v1/queries", { params: { header }, body: { name, sql } }));
          setName("");
          onSaved();
        }}
      />
    </span>
  );
}

const pageRows = 1000;

function Result({ header, res }: { header: Header; res: Schemas["QueryResponse"] }) {
  // rows holds what is loaded: the answer's first rows, then pages of
  // the stored result fetched as they scroll into view.
  const rows = useRef<(unknown[] | undefined)[]>([]);
  const loading = useRef(new Set<number>());
  const [, setTick] = useState(0);
  const [error, setError] = useState<unknown>();
  const [view, setView] = useState<"grid" | "chart">("grid");
  // (A new result is a new component: key={result_id}.)
  if (rows.current.length !== res.row_count) {
    rows.current = new Array(res.row_count);
    res.rows.forEach((r, i) => (rows.current[i] = r));
  }
  const parent = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: res.row_count, getScrollElement: () => parent.current, estimateSize: () => 28, overscan: 20 });
  const load = (i: number) => {
    const page = Math.floor(i / pageRows);
    if (loading.current.has(page)) return;
    loading.current.add(page);
    must(api.GET("/v1/results/{id}", { params: { header, path: { id: res.result_id }, query: { format: "json", offset: page * pageRows, limit: pageRows } } })).then(
      (out) => {
        const r = out as Schemas["Result"];
        r.rows.forEach((row, j) => (rows.current[page * pageRows + j] = row));
        setTick((t) => t + 1);
      },
      (e) => {
        loading.current.delete(page); // asked again when next in view
        setError(e);
      },
    );
  };
  const items = v.getVirtualItems();
  for (const it of items) if (!rows.current[it.index]) load(it.index);
  const chart = chartable(res.columns, res.rows);
  return (
    <section aria-label="Result">
      <p role="status">
        {res.row_count.toLocaleString()} rows in {res.execution_time_ms} ms
        {res.freshness.length > 0 && ` · data as of ${res.freshness.map((f) => `${f.table} ${ago((f as { as_of?: string }).as_of)}`).join(", ")}`}
      </p>
      {res.warning && <p className="warning">{res.warning}</p>}
      <ErrorBox error={error} />
      <div className="actions" role="group" aria-label="View and download">
        <button type="button" aria-pressed={view === "grid"} onClick={() => setView("grid")}>
          Grid
        </button>
        <button type="button" aria-pressed={view === "chart"} disabled={!chart} onClick={() => setView("chart")} title={chart ? "" : "A chart needs a category column and a number column"}>
          Chart
        </button>
        {(["csv", "parquet", "arrow"] as const).map((f) => (
          <Action key={f} label={`Download ${f.toUpperCase()}`} run={() => download(res.result_id, f)} />
        ))}
      </div>
      {view === "chart" && chart ? (
        <Chart columns={res.columns} rows={res.rows} spec={chart} />
      ) : (
        <div className="grid" ref={parent} role="table" tabIndex={0} aria-label="Result rows" aria-rowcount={res.row_count + 1}>
          <div role="rowgroup" className="grid-head">
            <div role="row" className="grid-row" style={{ gridTemplateColumns: `repeat(${res.columns.length}, minmax(8rem, 1fr))` }}>
              {res.columns.map((c, i) => (
                <div role="columnheader" key={i}>
                  {c}
                </div>
              ))}
            </div>
          </div>
          <div role="rowgroup" style={{ height: v.getTotalSize(), position: "relative" }}>
            {items.map((it) => {
              const row = rows.current[it.index];
              return (
                <div
                  role="row"
                  aria-rowindex={it.index + 2}
                  key={it.key}
                  className="grid-row"
                  style={{ position: "absolute", top: 0, transform: `translateY(${it.start}px)`, gridTemplateColumns: `repeat(${res.columns.length}, minmax(8rem, 1fr))` }}
                >
                  {res.columns.map((_, j) => (
                    <div role="cell" key={j}>
                      {row ? cell(row[j]) : "…"}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}

function cell(v: unknown) {
  if (v === null || v === undefined) return <span className="null">NULL</span>;
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

// download fetches the stored result in a format (with the token in a
// header, not the URL) and saves it.
async function download(id: string, format: "csv" | "parquet" | "arrow") {
  const r = await fetch(`/v1/results/${encodeURIComponent(id)}?format=${format}`, { headers: authHeaders() });
  if (!r.ok) throw new Error(`download failed: ${r.status} ${await r.text()}`);
  const blob = await r.blob();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `${id}.${format}`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Later: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}
