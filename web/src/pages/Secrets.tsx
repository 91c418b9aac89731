import { useState } from "react";
import { api, must } from "../api/client";
import { Action, Confirm, ErrorBox, Field, ago, useLoad, Head } from "../ui/kit";

// Secrets: names and dates only (values are never shown); create,
// rotate, delete.
export function Secrets({ ws }: { ws: string }) {
  const header = { "X-Workspace-Id": ws };
  const list = useLoad(() => must(api.GET("/v1/secrets", { params: { header } })), []);
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  return (
    <section aria-labelledby="sec-h">
      <h1 id="sec-h">Secrets</h1>
      <ErrorBox error={list.error} />
      <form className="inline" aria-label="New secret" onSubmit={(e) => e.preventDefault()}>
        <Field label="Secret name" value={name} onChange={setName} />
        <Field label="Value" type="password" value={value} onChange={setValue} />
        <Action
          label="Create secret"
          disabled={!name || !value}
          run={async () => {
            await must(api.POST("/v1/secrets", { params: { header }, body: { name, value } }));
            setName("");
            setValue("");
            list.reload();
          }}
        />
      </form>
      <table>
        <Head caption="Secrets" columns={["Name", "Updated", "Rotate", "Delete"]} />
        <tbody>
          {(list.data?.secrets ?? []).map((s) => (
            <tr key={s.id}>
              <td>{s.name}</td>
              <td>{ago(s.updated_at)}</td>
              <td>
                <Rotate name={s.name} header={header} onDone={list.reload} />
              </td>
              <td>
                <Confirm
                  label="Delete"
                  title={`Delete secret ${s.name}?`}
                  action="Delete secret"
                  onConfirm={async () => {
                    await must(api.DELETE("/v1/secrets/{name}", { params: { header, path: { name: s.name } } }));
                    list.reload();
                  }}
                >
                  <p>Connections that use it can no longer reach their upstream until it is replaced.</p>
                </Confirm>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Rotate({ name, header, onDone }: { name: string; header: { "X-Workspace-Id": string }; onDone: () => void }) {
  const [value, setValue] = useState("");
  return (
    <span className="inline">
      <label className="sr" htmlFor={`rot-${name}`}>
        New value of {name}
      </label>
      <input id={`rot-${name}`} type="password" autoComplete="new-password" value={value} onChange={(e) => setValue(e.target.value)} />
      <Action
        label="Rotate"
        disabled={!value}
        run={async () => {
          await must(api.PUT("/v1/secrets/{name}", { params: { header, path: { name } }, body: { value } }));
          setValue("");
          onDone();
        }}
      />
    </span>
  );
}
