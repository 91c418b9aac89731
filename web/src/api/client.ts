// The console's only way to the server: a client generated from
// /v1/openapi.json (schema.d.ts, by openapi-typescript) over fetch.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

const TOKEN = "hotdata.token";
const WORKSPACE = "hotdata.workspace";

// The token lives in session storage: gone with the tab, never in a URL.
export const session = {
  token: () => sessionStorage.getItem(TOKEN) ?? "",
  workspace: () => sessionStorage.getItem(WORKSPACE) ?? "",
  signIn(token: string) {
    sessionStorage.setItem(TOKEN, token);
  },
  setWorkspace(id: string) {
    sessionStorage.setItem(WORKSPACE, id);
  },
  signOut() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(WORKSPACE);
  },
};

// signedOut is the window event sent when the server refuses the token.
export const signedOut = "hotdata:signed-out";

const auth: Middleware = {
  onResponse({ response }) {
    if (response.status === 401 && session.token()) {
      session.signOut();
      window.dispatchEvent(new Event(signedOut));
    }
    return response;
  },
  onRequest({ request }) {
    const token = session.token();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    const ws = session.workspace();
    if (ws && !request.headers.has("X-Workspace-Id")) request.headers.set("X-Workspace-Id", ws);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

// ApiError is an API error answer: its HTTP status, code, message and hint.
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public hint?: string,
  ) {
    super(message);
  }
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

// must returns an answer's data, or throws its error as an ApiError.
export async function must<T>(p: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await p;
  if (error !== undefined || !response.ok) {
    const e = (error as { error?: { code?: string; message?: string; hint?: string } } | undefined)?.error;
    throw new ApiError(response.status, e?.code ?? String(response.status), e?.message ?? response.statusText, e?.hint);
  }
  return data as T;
}

// authHeaders are the headers a raw request (upload, download) carries.
export function authHeaders(): Record<string, string> {
  const h: Record<string, string> = { Authorization: `Bearer ${session.token()}` };
  const ws = session.workspace();
  if (ws) h["X-Workspace-Id"] = ws;
  return h;
}
