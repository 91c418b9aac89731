import { api, must } from "../api/client";
import { ErrorBox, ago, useLoad, usePoll, Head } from "../ui/kit";
import { JobProgress, targetOf } from "./Connections";

// Jobs: running and recent jobs with progress and errors (with their
// hints), refreshed every second while any runs; and each table's
// freshness (snapshot age, policy, last sync).
export function Jobs({ ws }: { ws: string }) {
  const header = { "X-Workspace-Id": ws };
  const jobs = useLoad(() => must(api.GET("/v1/jobs", { params: { header, query: { limit: 50 } } })), []);
  const tables = useLoad(() => must(api.GET("/v1/information_schema", { params: { header, query: { limit: 1000 } } })), []);
  // Every second while a job runs, else every 5 s (new jobs show up).
  const running = (jobs.data?.jobs ?? []).some((j) => j.status === "running" || j.status === "pending");
  usePoll(
    () => {
      jobs.reload();
      tables.reload();
    },
    running ? 1000 : 5000,
    true,
  );
  return (
    <section aria-labelledby="jobs-h">
      <h1 id="jobs-h">Jobs</h1>
      <ErrorBox error={jobs.error} />
      <table>
        <Head caption="Jobs" columns={["Job", "Target", "Progress", "Started"]} />
        <tbody>
          {(jobs.data?.jobs ?? []).map((j) => (
            <tr key={j.id}>
              <td>
                {j.type} <code>{j.id}</code>
              </td>
              <td>{[targetOf(j).connection, targetOf(j).schema, targetOf(j).table].filter(Boolean).join(".")}</td>
              <td>
                <JobProgress job={j} />
                {(j.warnings ?? []).map((w) => (
                  <div key={w} className="warning">
                    {w}
                  </div>
                ))}
              </td>
              <td>{ago(j.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Freshness</h2>
      <ErrorBox error={tables.error} />
      <table>
        <Head caption="Tables and their last sync" columns={["Table", "Cached", "Last sync"]} />
        <tbody>
          {(tables.data?.tables ?? []).map((t) => (
            <tr key={`${t.connection}.${t.schema}.${t.table}`}>
              <td>
                <a href={`#/connections/${encodeURIComponent(t.connection)}`}>{t.connection}</a>.{t.schema}.{t.table}
              </td>
              <td>{t.synced ? "yes" : "no"}</td>
              <td>{t.last_sync ? `${ago(t.last_sync)} (${new Date(t.last_sync).toLocaleString()})` : "never"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
