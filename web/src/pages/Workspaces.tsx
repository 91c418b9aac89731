import { useState } from "react";
import { api, must, type Schemas } from "../api/client";
import { Action, Confirm, ErrorBox, Field, useLoad } from "../ui/kit";

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
        <caption className="sr">Workspaces</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Id</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
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
            <p>
              This purges everything in <strong>{w.name}</strong>: its connections and their cached snapshots, datasets and uploads, secrets, saved queries, query
              runs and stored results. Upstream databases are not touched. It cannot be undone.
            </p>
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
