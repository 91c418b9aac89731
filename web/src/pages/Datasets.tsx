import { useRef, useState } from "react";
import { ApiError, api, authHeaders, must, type Schemas } from "../api/client";
import { Action, Confirm, ErrorBox, Field, Progress, ago, bytes, useLoad, Head } from "../ui/kit";

// Datasets: upload a file (with an upload progress bar), preview the
// columns the server infers, create the dataset; list, versions, delete.
export function Datasets({ ws }: { ws: string }) {
  const header = { "X-Workspace-Id": ws };
  const list = useLoad(() => must(api.GET("/v1/datasets", { params: { header } })), []);
  return (
    <section aria-labelledby="ds-h">
      <h1 id="ds-h">Datasets</h1>
      <NewDataset header={header} onCreated={list.reload} />
      <h2>Datasets</h2>
      <ErrorBox error={list.error} />
      <table>
        <Head caption="Datasets" columns={["Label", "Table", "Rows", "Status", "Versions", "Delete"]} />
        <tbody>
          {(list.data?.datasets ?? []).map((d) => (
            <tr key={d.id}>
              <td>{d.label}</td>
              <td>
                <code>datasets.main.{d.table_name}</code>
              </td>
              <td>{d.row_count.toLocaleString()}</td>
              <td>
                {d.status}
                {d.error && <div className="error-text">{d.error}</div>}
              </td>
              <td>
                <Versions header={header} id={d.id} />
              </td>
              <td>
                <Confirm
                  label="Delete"
                  title={`Delete dataset ${d.label}?`}
                  action="Delete dataset"
                  onConfirm={async () => {
                    await must(api.DELETE("/v1/datasets/{id}", { params: { header, path: { id: d.id } } }));
                    list.reload();
                  }}
                >
                  <p>
                    The table <code>datasets.main.{d.table_name}</code> and every version of it are deleted.
                  </p>
                </Confirm>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Versions({ header, id }: { header: { "X-Workspace-Id": string }; id: string }) {
  const [open, setOpen] = useState(false);
  const v = useLoad(async () => (open ? must(api.GET("/v1/datasets/{id}/versions", { params: { header, path: { id } } })) : undefined), [open]);
  return (
    <details onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>versions</summary>
      <ErrorBox error={v.error} />
      <ul>
        {(v.data?.versions ?? []).map((x) => (
          <li key={x.version}>
            v{x.version}: {x.row_count.toLocaleString()} rows, {ago(x.created_at)}
          </li>
        ))}
      </ul>
    </details>
  );
}

// upload sends a file to /v1/files with XMLHttpRequest, which reports
// upload progress (fetch does not).
function upload(file: File, onProgress: (sent: number) => void): Promise<Schemas["Upload"]> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/v1/files?filename=${encodeURIComponent(file.name)}`);
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      let body: { error?: { code?: string; message?: string; hint?: string } } & Partial<Schemas["Upload"]> = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as Schemas["Upload"]);
      else reject(new ApiError(xhr.status, body.error?.code ?? String(xhr.status), body.error?.message ?? xhr.statusText, body.error?.hint));
    };
    xhr.onerror = () => reject(new Error("the upload failed: the server did not answer"));
    xhr.send(file);
  });
}

function NewDataset({ header, onCreated }: { header: { "X-Workspace-Id": string }; onCreated: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [sent, setSent] = useState(0);
  const [up, setUp] = useState<Schemas["Upload"]>();
  const [preview, setPreview] = useState<Schemas["DatasetPreview"]>();
  const [label, setLabel] = useState("");
  const [table, setTable] = useState("");
  const [error, setError] = useState<unknown>();
  return (
    <section aria-labelledby="new-ds-h" className="card">
      <h2 id="new-ds-h">New dataset from a file</h2>
      <div className="field">
        <label htmlFor="ds-file">File (CSV, JSON, Parquet)</label>
        <input
          id="ds-file"
          ref={input}
          type="file"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            setFile(f);
            setSent(0);
            setUp(undefined);
            setPreview(undefined);
            setError(undefined);
            if (!f) return;
            const base = f.name.replace(/\.[^.]*$/, "");
            setLabel(base);
            setTable(base.toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^([^a-z_])/, "_$1"));
            try {
              const u = await upload(f, setSent);
              setUp(u);
              setPreview(await must(api.POST("/v1/datasets/preview", { params: { header }, body: { upload_id: u.id } })));
            } catch (err) {
              setError(err);
            }
          }}
        />
      </div>
      {file && <Progress label={`Upload of ${file.name} (${bytes(file.size)})`} value={up ? file.size : sent} max={file.size || 1} />}
      <ErrorBox error={error} />
      {preview && (
        <>
          <h3>Inferred columns</h3>
          <table>
            <caption className="sr">Inferred columns and the first rows</caption>
            <thead>
              <tr>
                {preview.columns.map((c) => (
                  <th scope="col" key={c.name}>
                    {c.name}
                    <div className="type">{c.data_type}</div>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((v, j) => (
                    <td key={j}>{v === null ? <span className="null">NULL</span> : String(v)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <form className="inline" aria-label="Create the dataset" onSubmit={(e) => e.preventDefault()}>
            <Field label="Label" value={label} onChange={setLabel} />
            <Field label="Table name" value={table} onChange={setTable} />
            <Action
              label="Create dataset"
              className="primary"
              run={async () => {
                await must(api.POST("/v1/datasets", { params: { header }, body: { label, table_name: table, source: { upload_id: up!.id } } }));
                setFile(undefined);
                setPreview(undefined);
                if (input.current) input.current.value = "";
                onCreated();
              }}
            />
          </form>
        </>
      )}
    </section>
  );
}
