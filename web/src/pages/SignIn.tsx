import { useState, type FormEvent } from "react";
import { api, must, session } from "../api/client";
import { ErrorBox, Field } from "../ui/kit";

// SignIn takes an API token (hd_…), checks it against the server, and
// keeps it in session storage.
export function SignIn({ onSignIn }: { onSignIn: () => void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<unknown>();
  async function submit(e: FormEvent) {
    e.preventDefault();
    session.signIn(token.trim());
    try {
      await must(api.GET("/v1/workspaces"));
      onSignIn();
    } catch (err) {
      session.signOut();
      setError(err);
    }
  }
  return (
    <main className="signin">
      <form onSubmit={submit} aria-label="Sign in">
        <h1>Hotdata</h1>
        <p>Sign in with an API token. The first one is printed when the control process first starts; others are made under Organization → Tokens.</p>
        <Field label="API token" type="password" autoComplete="off" value={token} onChange={setToken} required autoFocus placeholder="hd_…" />
        <ErrorBox error={error} />
        <button type="submit" className="primary">
          Sign in
        </button>
      </form>
    </main>
  );
}
