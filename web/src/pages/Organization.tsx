import { useState } from "react";
import { api, must, type Schemas } from "../api/client";
import { Action, Confirm, Copy, ErrorBox, Field, Select, ago, useLoad, Head } from "../ui/kit";

const roles: Schemas["Role"][] = ["viewer", "member", "admin", "owner"];
const roleOptions = roles.map((r) => ({ value: r, label: r }));

// Organization: organizations and their members (invite with a role,
// change roles, remove) and API tokens (create, shown once; revoke).
export function Organization() {
  const orgs = useLoad(() => must(api.GET("/v1/organizations")), []);
  const [name, setName] = useState("");
  return (
    <section aria-labelledby="org-h">
      <h1 id="org-h">Organization</h1>
      <ErrorBox error={orgs.error} />
      {(orgs.data?.organizations ?? []).map((o) => (
        <Members key={o.id} org={o} />
      ))}
      <form className="inline" aria-label="New organization" onSubmit={(e) => e.preventDefault()}>
        <Field label="New organization name" value={name} onChange={setName} />
        <Action
          label="Create organization"
          disabled={!name}
          run={async () => {
            await must(api.POST("/v1/organizations", { body: { name } }));
            setName("");
            orgs.reload();
          }}
        />
      </form>
      <Tokens />
    </section>
  );
}

function Members({ org }: { org: Schemas["Organization"] }) {
  const id = org.id;
  const list = useLoad(() => must(api.GET("/v1/organizations/{id}/members", { params: { path: { id } } })), [id]);
  const [email, setEmail] = useState("");
  const [who, setWho] = useState("");
  const [role, setRole] = useState<Schemas["Role"]>("member");
  const [invited, setInvited] = useState<Schemas["TokenWithText"]>();
  return (
    <section aria-labelledby={`org-${id}`}>
      <h2 id={`org-${id}`}>
        {org.name} <code>{org.id}</code>
      </h2>
      <ErrorBox error={list.error} />
      <table>
        <Head caption={`Members of ${org.name}`} columns={["Name", "Email", "Role", "Actions"]} />
        <tbody>
          {(list.data?.members ?? []).map((m) => (
            <tr key={m.id}>
              <td>{m.name}</td>
              <td>{m.email}</td>
              <td>
                <RoleSelect
                  member={m}
                  onChange={async (r) => {
                    await must(api.PATCH("/v1/organizations/{id}/members/{member_id}", { params: { path: { id, member_id: m.id } }, body: { role: r } }));
                    list.reload();
                  }}
                />
              </td>
              <td>
                <Confirm
                  label="Remove"
                  title={`Remove ${m.name || m.email}?`}
                  action="Remove member"
                  onConfirm={async () => {
                    await must(api.DELETE("/v1/organizations/{id}/members/{member_id}", { params: { path: { id, member_id: m.id } } }));
                    list.reload();
                  }}
                >
                  <p>Their tokens are revoked at once; open sessions end.</p>
                </Confirm>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline" aria-label={`Invite to ${org.name}`} onSubmit={(e) => e.preventDefault()}>
        <Field label="Email" type="email" value={email} onChange={setEmail} />
        <Field label="Name" value={who} onChange={setWho} />
        <Select label="Role" value={role} onChange={(v) => setRole(v as Schemas["Role"])} options={roleOptions} />
        <Action
          label="Invite"
          run={async () => {
            const out = await must(api.POST("/v1/organizations/{id}/members", { params: { path: { id } }, body: { email, name: who, role } }));
            setInvited(out.token);
            setEmail("");
            setWho("");
            list.reload();
          }}
        />
      </form>
      {invited && <ShownOnce token={invited} what="The new member's token" />}
    </section>
  );
}

// RoleSelect changes a role only when Apply is pressed (arrow keys on a
// select would otherwise walk the member through every role).
function RoleSelect({ member, onChange }: { member: Schemas["Member"]; onChange: (r: Schemas["Role"]) => Promise<void> }) {
  const [role, setRole] = useState(member.role);
  return (
    <span className="inline">
      <label className="sr" htmlFor={`role-${member.id}`}>
        Role of {member.name || member.email}
      </label>
      <select id={`role-${member.id}`} value={role} onChange={(e) => setRole(e.target.value as Schemas["Role"])}>
        {roles.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
      <Action label="Apply" disabled={role === member.role} run={() => onChange(role)} />
    </span>
  );
}

function ShownOnce({ token, what }: { token: Schemas["TokenWithText"]; what: string }) {
  return (
    <div role="status" className="notice">
      <p>
        {what} is shown this once: copy it now.
      </p>
      <code className="secret">{token.token}</code> <Copy text={token.token} />
    </div>
  );
}

function Tokens() {
  const list = useLoad(() => must(api.GET("/v1/tokens")), []);
  const [name, setName] = useState("");
  const [made, setMade] = useState<Schemas["TokenWithText"]>();
  return (
    <section aria-labelledby="tok-h">
      <h2 id="tok-h">API tokens</h2>
      <ErrorBox error={list.error} />
      <form className="inline" aria-label="New token" onSubmit={(e) => e.preventDefault()}>
        <Field label="Token name" value={name} onChange={setName} />
        <Action
          label="Create token"
          run={async () => {
            const out = await must(api.POST("/v1/tokens", { body: { name } }));
            setMade(out.token);
            setName("");
            list.reload();
          }}
        />
      </form>
      {made && <ShownOnce token={made} what="The token" />}
      <table>
        <Head caption="API tokens" columns={["Name", "Prefix", "Status", "Last used", "Actions"]} />
        <tbody>
          {(list.data?.tokens ?? []).map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>
                <code>{t.prefix}…</code>
              </td>
              <td>{t.status}</td>
              <td>{ago(t.last_used_at)}</td>
              <td>
                {t.status === "active" && (
                  <Confirm
                    label="Revoke"
                    title={`Revoke token ${t.name || t.prefix}?`}
                    action="Revoke token"
                    onConfirm={async () => {
                      await must(api.DELETE("/v1/tokens/{id}", { params: { path: { id: t.id } } }));
                      list.reload();
                    }}
                  >
                    <p>Clients using it are refused from now on.</p>
                  </Confirm>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
