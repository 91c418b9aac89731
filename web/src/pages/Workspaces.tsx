import { useState } from "react";
import { api, must, type Schemas } from "../api/client";
import { Action, Confirm, ErrorBox, Field, useLoad, Head } from "../ui/kit";

// Workspaces: list with status, create, rename, limits, suspend/resume,
// delete (naming what is purged), and switch.
export function Workspaces({ current, onChange, onSwitch }: { current: string; onChange: () => void; onSwitch: (id: string) => void }) {
  const list = useLoad(() => must(api.GET("/v1/workspaces")), []);
  const [name, setName] = useState("");
  const reload = () => {
    list.reload();
    onChange();
  };
  return (
    <section aria-labelledby="ws-h">
      <h1 id="ws-h">Workspaces</h1>
      <ErrorBox error={list.error} />
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        <Field label="New workspace name" value={name} onChange={setName} />
        <Action
          label="Create workspace"
          className="primary"
          disabled={!name}
          run={async () => {
            const out = await must(api.POST("/v1/workspaces", { body: { name } }));
            setName("");
            list.reload();
            onSwitch(out.workspace.public_id);
          }}
        />
      </form>
      <table>
        <Head caption="Workspaces" columns={["Name", "Status", "Id", "Actions"]} />
        <tbody>
          {(list.data?.workspaces ?? []).map((w) => (
            <WorkspaceRow key={w.public_id} w={w} current={w.public_id === current} onChange={reload} onSwitch={onSwitch} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function WorkspaceRow({ w, current, onChange, onSwitch }: { w: Schemas["Workspace"]; current: boolean; onChange: () => void; onSwitch: (id: string) => void }) {
  const detail = useLoad(() => must(api.GET("/v1/workspaces/{id}", { params: { path: { id: w.public_id } } })), [w.public_id]);
  const d = detail.data?.workspace;
  const [open, setOpen] = useState(false);
  const reload = () => {
    detail.reload();
    onChange();
  };
  return (
    <>
      <tr>
        <td>
          {w.name} {current && <span className="badge">current</span>}
        </td>
        <td>{d?.status ?? w.provision_status}</td>
        <td>
          <code>{w.public_id}</code>
        </td>
        <td className="row-actions">
          {!current && (
            <button type="button" onClick={() => onSwitch(w.public_id)}>
              Switch to
            </button>
          )}
          <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
            Settings
          </button>
          {d?.status === "suspended" ? (
            <Action label="Resume" run={async () => (await must(api.POST("/v1/workspaces/{id}/resume", { params: { path: { id: w.public_id } } })), reload())} />
          ) : (
            <Action label="Suspend" run={async () => (await must(api.POST("/v1/workspaces/{id}/suspend", { params: { path: { id: w.public_id } } })), reload())} />
          )}
          <Confirm
            label="Delete"
            title={`Delete workspace ${w.name}?`}
            action="Delete workspace"
            onConfirm={async () => {
              await must(api.DELETE("/v1/workspaces/{id}", { params: { path: { id: w.public_id } } }));
              if (current) onSwitch("");
              onChange();
            }}
          >
            <Purged id={w.public_id} name={w.name} />
          </Confirm>
        </td>
      </tr>
      {open && d && (
        <tr>
          <td colSpan={4}>
            <Settings d={d} onSaved={reload} />
          </td>
        </tr>
      )}
    </>
  );
}

function Settings({ d, onSaved }: { d: Schemas["WorkspaceDetail"]; onSaved: () => void }) {
  const [name, setName] = useState(d.name);
  const [limits, setLimits] = useState(Object.fromEntries(Object.entries(d.limits).map(([k, v]) => [k, String(v)])));
  const [error, setError] = useState<unknown>();
  return (
    <form
      aria-label={`Settings of ${d.name}`}
      onSubmit={async (e) => {
        e.preventDefault();
        setError(undefined);
        try {
          const l = Object.fromEntries(Object.entries(limits).map(([k, v]) => [k, Number(v)]));
          await must(api.PATCH("/v1/workspaces/{id}", { params: { path: { id: d.public_id } }, body: { name, limits: l } }));
          onSaved();
        } catch (err) {
          setError(err);
        }
      }}
    >
      <Field label="Name" value={name} onChange={setName} />
      <fieldset>
        <legend>Limits</legend>
        {Object.keys(limits).map((k) => (
          <Field key={k} label={k.replace(/_/g, " ")} type="number" value={limits[k]} onChange={(v) => setLimits({ ...limits, [k]: v })} />
        ))}
      </fieldset>
      <ErrorBox error={error} />
      <button type="submit" className="primary">
        Save
      </button>
    </form>
  );
}

// Purged says what deleting a workspace purges, with its counts.
function Purged({ id, name }: { id: string; name: string }) {
  const header = { "X-Workspace-Id": id };
  const counts = useLoad(
    () =>
      Promise.all([
        must(api.GET("/v1/connections", { params: { header, query: { limit: 1000 } } })),
        must(api.GET("/v1/datasets", { params: { header, query: { limit: 1000 } } })),
        must(api.GET("/v1/secrets", { params: { header, query: { limit: 1000 } } })),
        must(api.GET("/v1/queries", { params: { header, query: { limit: 1000 } } })),
      ]),
    [id],
  );
  const [conns, datasets, secrets, queries] = counts.data ?? [];
  // A page's count, "1000 or more" when there are more pages.
  const n = (l?: { count: number; has_more: boolean }) => (l ? `${l.count}${l.has_more ? " or more" : ""}` : "0");
  const tables = (conns?.connections ?? []).reduce((n, c) => n + c.synced_table_count, 0);
  return (
    <>
      <p>
        This purges everything in <strong>{name}</strong>:
      </p>
      {counts.data ? (
        <ul>
          <li>
            {n(conns)} connections, with the cached snapshots of {tables} tables
          </li>
          <li>{n(datasets)} datasets and every upload</li>
          <li>{n(secrets)} secrets</li>
          <li>{n(queries)} saved queries, and every query run and stored result</li>
        </ul>
      ) : (
        <ErrorBox error={counts.error} />
      )}
      <p>Upstream databases are not touched. It cannot be undone.</p>
    </>
  );
}
