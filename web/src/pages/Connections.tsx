import { useState } from "react";
import { go } from "../App";
import { api, must, type Schemas } from "../api/client";
import { Action, Confirm, ErrorBox, Field, Progress, Select, ago, bytes, useLoad, usePoll, Head } from "../ui/kit";
import { configOf, SchemaForm, type ConfigSchema, type Values } from "../ui/schemaform";

type Hdr = { "X-Workspace-Id": string };

// Connections: the list, a new connection (form from the type's config
// schema, secret picker, test), and one connection's tables with their
// policies, refreshes and live sync progress.
export function Connections({ ws, rest }: { ws: string; rest: string[] }) {
  const header: Hdr = { "X-Workspace-Id": ws };
  if (rest[0] === "new") return <NewConnection header={header} />;
  if (rest[0]) return <Connection key={rest[0]} header={header} id={rest[0]} />;
  return <ConnectionList header={header} />;
}

function ConnectionList({ header }: { header: Hdr }) {
  const list = useLoad(() => must(api.GET("/v1/connections", { params: { header } })), []);
  return (
    <section aria-labelledby="conn-h">
      <h1 id="conn-h">Connections</h1>
      <p>
        <a className="button primary" href="#/connections/new">
          New connection
        </a>
      </p>
      <ErrorBox error={list.error} />
      <table>
        <Head caption="Connections" columns={["Name", "Type", "Tables (synced)", "Discovery"]} />
        <tbody>
          {(list.data?.connections ?? []).map((c) => (
            <tr key={c.id}>
              <td>
                <a href={`#/connections/${encodeURIComponent(c.name)}`}>{c.name}</a>
              </td>
              <td>{c.source_type}</td>
              <td>
                {c.table_count} ({c.synced_table_count})
              </td>
              <td>
                {c.discovery_status}
                {c.discovery_error && <div className="error-text">{c.discovery_error}</div>}
                {c.secret_missing && <div className="error-text">its secret is missing</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data && list.data.connections.length === 0 && <p>No connections yet.</p>}
    </section>
  );
}

function NewConnection({ header }: { header: Hdr }) {
  const types = useLoad(() => must(api.GET("/v1/connection-types")), []);
  const secrets = useLoad(() => must(api.GET("/v1/secrets", { params: { header } })), []);
  const [type, setType] = useState("postgres");
  const [name, setName] = useState("");
  const [values, setValues] = useState<Values>({});
  const [secret, setSecret] = useState("");
  const [secretValue, setSecretValue] = useState("");
  const [tested, setTested] = useState<Schemas["ConnectionHealth"]>();
  const [error, setError] = useState<unknown>();
  const t = types.data?.connection_types.find((x) => x.name === type);
  const schema = (t?.config_schema ?? {}) as ConfigSchema;
  const secretField = t?.auth.secret_field ?? undefined;
  const body = (): Schemas["CreateConnectionRequest"] => {
    const config = configOf(schema, values);
    if (secretField && !secret && secretValue) config[secretField] = secretValue;
    return { name, source_type: type, config, ...(secret ? { secret_name: secret } : {}) };
  };
  return (
    <section aria-labelledby="new-h">
      <h1 id="new-h">New connection</h1>
      <ErrorBox error={types.error} />
      <form
        aria-label="New connection"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(undefined);
          try {
            const out = await must(api.POST("/v1/connections", { params: { header }, body: body() }));
            go("connections", out.name);
          } catch (err) {
            setError(err);
          }
        }}
      >
        <Select
          label="Source type"
          value={type}
          onChange={(v) => {
            setType(v);
            setValues({});
            setTested(undefined);
          }}
          options={(types.data?.connection_types ?? []).map((x) => ({ value: x.name, label: x.label }))}
        />
        <Field label="Connection name" value={name} onChange={setName} required help="Lower case letters, digits and _: the catalog name in SQL (name.schema.table)." />
        <SchemaForm schema={schema} values={values} onChange={setValues} skip={secretField} />
        {secretField && (
          <fieldset>
            <legend>Credentials ({secretField})</legend>
            <Select
              label="Secret"
              value={secret}
              onChange={setSecret}
              options={[{ value: "", label: "Enter a new value below" }, ...(secrets.data?.secrets ?? []).map((s) => ({ value: s.name, label: s.name }))]}
            />
            {!secret && (
              <Field label={`${secretField} (stored as a new secret)`} type="password" autoComplete="new-password" value={secretValue} onChange={setSecretValue} />
            )}
          </fieldset>
        )}
        <div className="actions">
          <Action
            label="Test connection"
            run={async () => {
              setTested(undefined);
              setTested(await must(api.POST("/v1/connections/test", { params: { header }, body: body() })));
            }}
          />
          <button type="submit" className="primary">
            Create connection
          </button>
        </div>
        {tested && (
          <p role="status" className={tested.healthy ? "ok" : "error-text"}>
            {tested.healthy ? `Connected in ${Math.round(tested.latency_ms)} ms.` : `Cannot connect: ${tested.error}`}
          </p>
        )}
        <ErrorBox error={error} />
      </form>
    </section>
  );
}

function Connection({ header, id }: { header: Hdr; id: string }) {
  const conn = useLoad(() => must(api.GET("/v1/connections/{id}", { params: { header, path: { id } } })), [id]);
  const cols = useLoad(() => must(api.GET("/v1/information_schema", { params: { header, query: { connection_id: id, include_columns: true, limit: 1000 } } })), [id]);
  const health = useLoad(() => must(api.GET("/v1/connections/{id}/health", { params: { header, path: { id } } })), [id]);
  const jobs = useLoad(() => must(api.GET("/v1/jobs", { params: { header, query: { limit: 200 } } })), [id]);
  const [filter, setFilter] = useState("");
  const c = conn.data;
  const columns = new Map((cols.data?.tables ?? []).map((t) => [`${t.schema}.${t.table}`, t.columns ?? []]));
  const tables = (c?.tables ?? []).filter((t) => `${t.schema}.${t.table}`.includes(filter));
  const reload = () => {
    conn.reload();
    cols.reload();
    jobs.reload();
  };
  // Each table's sync history: the recent jobs whose target is it.
  const history = (schema: string, table: string) =>
    (jobs.data?.jobs ?? []).filter((j) => {
      const t = targetOf(j);
      return t.schema === schema && t.table === table && c !== undefined && (t.connection === c.id || t.connection === c.name);
    });
  return (
    <section aria-labelledby="c-h">
      <p>
        <a href="#/connections">← Connections</a>
      </p>
      <h1 id="c-h">{c?.name ?? id}</h1>
      <ErrorBox error={conn.error} />
      {c && (
        <dl className="facts">
          <dt>Type</dt>
          <dd>{c.source_type}</dd>
          <dt>Health</dt>
          <dd>{health.data ? (health.data.healthy ? `healthy (${Math.round(health.data.latency_ms)} ms)` : `unreachable: ${health.data.error}`) : "…"}</dd>
          <dt>Discovered</dt>
          <dd>
            {ago(c.discovered_at)} ({c.discovery_status})
          </dd>
          <dt>Secret</dt>
          <dd>{c.secret_name ?? "none"}</dd>
        </dl>
      )}
      <div className="actions">
        <Action
          label="Discover again"
          run={async () => {
            await must(api.POST("/v1/refresh", { params: { header }, body: { connection_id: id } }));
            reload();
          }}
        />
        <Confirm
          label="Delete connection"
          title={`Delete connection ${id}?`}
          action="Delete connection"
          onConfirm={async () => {
            await must(api.DELETE("/v1/connections/{id}", { params: { header, path: { id } } }));
            go("connections");
          }}
        >
          <p>Its tables leave the catalog and their cached snapshots are purged. The upstream is not touched.</p>
        </Confirm>
      </div>
      <h2>Tables</h2>
      <Field label="Filter tables" value={filter} onChange={setFilter} />
      <table>
        <Head caption={`Tables of ${id}`} columns={["Table", "Columns", "Cached", "Policy", "Sync", "History"]} />
        <tbody>
          {tables.map((t) => (
            <TableRow
              key={`${t.schema}.${t.table}`}
              header={header}
              conn={id}
              t={t}
              columns={columns.get(`${t.schema}.${t.table}`) ?? []}
              history={history(t.schema, t.table)}
              onChange={reload}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}

type TableInfo = Schemas["ConnectionDetail"]["tables"][number];
type ColumnInfo = { name: string; data_type: string; nullable: boolean };

// targetOf reads a job's target: a sync's names its connection by id,
// a refresh's as the request gave it.
export function targetOf(j: Schemas["Job"]): { connection?: string; schema?: string; table?: string } {
  const t = (j.target ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  return { connection: str(t.connection_id) ?? str(t.connection), schema: str(t.schema), table: str(t.table) };
}

function TableRow(props: { header: Hdr; conn: string; t: TableInfo; columns: ColumnInfo[]; history: Schemas["Job"][]; onChange: () => void }) {
  const { header, conn, t, columns, history, onChange } = props;
  const [job, setJob] = useState<Schemas["Job"]>();
  const [policy, setPolicy] = useState(t.refresh);
  const running = job !== undefined && (job.status === "pending" || job.status === "running");
  const [pollError, setPollError] = useState<unknown>();
  usePoll(
    async () => {
      if (!job) return;
      try {
        const j = await must(api.GET("/v1/jobs/{id}", { params: { header, path: { id: job.id } } }));
        setJob(j);
        if (j.status !== "pending" && j.status !== "running") onChange();
      } catch (e) {
        // Stop polling a job that cannot be read; say why.
        setPollError(e);
        setJob({ ...job, status: "interrupted" });
      }
    },
    500,
    running,
  );
  const name = `${t.schema}.${t.table}`;
  return (
    <tr>
      <th scope="row">{name}</th>
      <td>
        <details>
          <summary>{columns.length} columns</summary>
          <ul className="cols">
            {columns.map((c) => (
              <li key={c.name}>
                <code>{c.name}</code> {c.data_type}
                {c.nullable ? "" : " not null"}
              </li>
            ))}
          </ul>
        </details>
      </td>
      <td>{t.synced ? `synced ${ago(t.last_sync)}` : "not synced"}</td>
      <td>
        <label className="sr" htmlFor={`pol-${name}`}>
          Refresh policy of {name}
        </label>
        <input id={`pol-${name}`} value={policy} size={12} onChange={(e) => setPolicy(e.target.value)} />
        <Action
          label="Set"
          disabled={policy === t.refresh}
          run={async () => {
            await must(
              api.PUT("/v1/connections/{id}/tables/{schema}/{table}/policy", {
                params: { header, path: { id: conn, schema: t.schema, table: t.table } },
                body: { refresh: policy },
              }),
            );
            onChange();
          }}
        />
      </td>
      <td>
        <Action
          label={`Sync ${t.table}`}
          disabled={running}
          run={async () => {
            const out = await must(
              api.POST("/v1/refresh", {
                params: { header },
                body: { connection_id: conn, schema_name: t.schema, table_name: t.table, data: true, include_uncached: true, async: true },
              }),
            );
            if (!("job" in out)) throw new Error("the refresh did not start a job");
            setJob(out.job);
          }}
        />
        {job && <JobProgress job={job} />}
        <ErrorBox error={pollError} />
      </td>
      <td>
        <details>
          <summary>{history.length} recent</summary>
          <ul className="history">
            {history.map((j) => (
              <li key={j.id}>
                {j.type} {j.status}, {ago(j.created_at)}: {j.progress.rows.toLocaleString()} rows
                {j.error && <div className="error-text">{j.error}</div>}
              </li>
            ))}
          </ul>
        </details>
      </td>
    </tr>
  );
}

export function JobProgress({ job }: { job: Schemas["Job"] }) {
  const p = job.progress;
  const label = `${job.type} ${job.status}: ${p.rows.toLocaleString()} rows, ${bytes(p.bytes)}`;
  if (job.status === "failed") return <div role="alert" className="error-text">{`${job.type} failed: ${job.error ?? ""}`}</div>;
  if (job.status !== "pending" && job.status !== "running") return <div role="status">{label}</div>;
  return <Progress label={label} value={p.fraction !== undefined ? p.fraction * 100 : undefined} max={p.fraction !== undefined ? 100 : undefined} />;
}
