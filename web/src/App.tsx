// The console: sign-in, then one page per part of the /v1 API, chosen by
// the URL's hash (#/sql, #/connections/…), so that reloading keeps the
// page and the token never enters a URL.
import { Component, useEffect, useState, type ReactNode } from "react";
import { api, must, session, signedOut, type Schemas } from "./api/client";
import { ErrorBox, useLoad } from "./ui/kit";
import { SignIn } from "./pages/SignIn";
import { Workspaces } from "./pages/Workspaces";
import { Organization } from "./pages/Organization";
import { Connections } from "./pages/Connections";
import { Secrets } from "./pages/Secrets";
import { Jobs } from "./pages/Jobs";
import { Datasets } from "./pages/Datasets";
import { Sql } from "./pages/Sql";

const pages: { path: string; label: string; workspace: boolean }[] = [
  { path: "sql", label: "SQL", workspace: true },
  { path: "connections", label: "Connections", workspace: true },
  { path: "datasets", label: "Datasets", workspace: true },
  { path: "jobs", label: "Jobs", workspace: true },
  { path: "secrets", label: "Secrets", workspace: true },
  { path: "workspaces", label: "Workspaces", workspace: false },
  { path: "organization", label: "Organization", workspace: false },
];

function useHash(): string[] {
  const read = () =>
    window.location.hash
      .replace(/^#\/?/, "")
      .split("/")
      .filter(Boolean)
      .map((p) => {
        try {
          return decodeURIComponent(p);
        } catch {
          return p; // a malformed escape stays as written
        }
      });
  const [parts, setParts] = useState(read);
  useEffect(() => {
    const on = () => setParts(read());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return parts;
}

export function go(...parts: string[]) {
  window.location.hash = "#/" + parts.map(encodeURIComponent).join("/");
}

export function App() {
  const [token, setToken] = useState(session.token());
  useEffect(() => {
    // A token the server stops accepting (revoked, expired) signs out.
    const out = () => setToken("");
    window.addEventListener(signedOut, out);
    return () => window.removeEventListener(signedOut, out);
  }, []);
  if (!token) return <SignIn onSignIn={() => setToken(session.token())} />;
  return (
    <Shell
      onSignOut={() => {
        session.signOut();
        setToken("");
      }}
    />
  );
}

function Shell({ onSignOut }: { onSignOut: () => void }) {
  const [page = "sql", ...rest] = useHash();
  const [ws, setWs] = useState(session.workspace());
  const list = useLoad(() => must(api.GET("/v1/workspaces")), []);
  const workspaces: Schemas["Workspace"][] = list.data?.workspaces ?? [];
  useEffect(() => {
    // Pick the first active workspace when none is chosen (or it is gone).
    if (!list.data) return;
    if (!workspaces.some((w) => w.public_id === ws)) {
      const first = (workspaces.find((w) => w.active) ?? workspaces[0])?.public_id ?? "";
      session.setWorkspace(first);
      setWs(first);
    }
  }, [list.data]); // eslint-disable-line react-hooks/exhaustive-deps
  const current = pages.find((p) => p.path === page) ?? pages[0];
  return (
    <div className="shell">
      <header>
        <a className="brand" href="#/sql">
          Hotdata
        </a>
        <nav aria-label="Main">
          <ul>
            {pages.map((p) => (
              <li key={p.path}>
                <a href={"#/" + p.path} aria-current={p.path === current.path ? "page" : undefined}>
                  {p.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <label htmlFor="ws-switch">Workspace</label>
          <select
            id="ws-switch"
            value={ws}
            onChange={(e) => {
              session.setWorkspace(e.target.value);
              setWs(e.target.value);
            }}
          >
            {workspaces.length === 0 && <option value="">(none)</option>}
            {workspaces.map((w) => (
              <option key={w.public_id} value={w.public_id}>
                {w.name}
              </option>
            ))}
          </select>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main>
        <ErrorBox error={list.error} />
        <Boundary key={current.path}>
        {current.workspace && !ws ? (
          <p>
            No workspace yet: <a href="#/workspaces">create one</a>.
          </p>
        ) : (
          <Page
            page={current.path}
            rest={rest}
            ws={ws}
            onWorkspaces={list.reload}
            onSwitch={(id) => {
              session.setWorkspace(id);
              setWs(id);
              list.reload();
            }}
          />
        )}
        </Boundary>
      </main>
    </div>
  );
}

function Page(props: { page: string; rest: string[]; ws: string; onWorkspaces: () => void; onSwitch: (id: string) => void }) {
  const { page, rest, ws } = props;
  // key: a workspace switch starts each page afresh.
  switch (page) {
    case "connections":
      return <Connections key={ws} ws={ws} rest={rest} />;
    case "datasets":
      return <Datasets key={ws} ws={ws} />;
    case "jobs":
      return <Jobs key={ws} ws={ws} />;
    case "secrets":
      return <Secrets key={ws} ws={ws} />;
    case "workspaces":
      return <Workspaces current={ws} onChange={props.onWorkspaces} onSwitch={props.onSwitch} />;
    case "organization":
      return <Organization />;
  }
  return <Sql key={ws} ws={ws} />;
}

// Boundary shows a page's rendering error instead of a blank page.
class Boundary extends Component<{ children: ReactNode }, { error?: unknown }> {
  state: { error?: unknown } = {};
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  render() {
    if (this.state.error) return <ErrorBox error={this.state.error} />;
    return this.props.children;
  }
}
