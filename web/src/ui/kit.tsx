// Small accessible building blocks: every control has a label, dialogs
// are native <dialog> elements (focus trapped, Escape closes), errors are
// announced (role="alert"), progress bars are <progress> with a label.
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { ApiError } from "../api/client";

// useLoad runs load now and whenever deps change or reload is called.
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>();
  const [error, setError] = useState<unknown>();
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && (setData(d), setError(undefined)),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { data, error, reload };
}

// usePoll calls fn every ms while active.
export function usePoll(fn: () => void | Promise<void>, ms: number, active: boolean) {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    if (!active) return;
    // One call at a time: the next waits for the last to finish.
    let stop = false;
    let t: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        await ref.current();
      } finally {
        if (!stop) t = setTimeout(tick, ms);
      }
    };
    t = setTimeout(tick, ms);
    return () => {
      stop = true;
      clearTimeout(t);
    };
  }, [ms, active]);
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : undefined;
  return (
    <div role="alert" className="error">
      <strong>{e ? `${e.code}: ` : "Error: "}</strong>
      {error instanceof Error ? error.message : String(error)}
      {e?.hint && <div className="hint">{e.hint}</div>}
    </div>
  );
}

export function Field(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  type?: string;
  required?: boolean;
  placeholder?: string;
  help?: string;
  autoFocus?: boolean;
  autoComplete?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type={props.type ?? "text"}
        value={props.value}
        required={props.required}
        placeholder={props.placeholder}
        autoFocus={props.autoFocus}
        autoComplete={props.autoComplete ?? (props.type === "password" ? "new-password" : undefined)}
        aria-describedby={props.help ? id + "-help" : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.help && (
        <small id={id + "-help"} className="help">
          {props.help}
        </small>
      )}
    </div>
  );
}

export function Select(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; label: string }[];
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Progress({ label, value, max }: { label: string; value?: number; max?: number }) {
  const id = useId();
  const pct = value !== undefined && max ? Math.round((100 * value) / max) : undefined;
  return (
    <div className="progress">
      <label htmlFor={id}>
        {label}
        {pct !== undefined ? ` ${pct}%` : ""}
      </label>
      <progress id={id} value={value} max={max}>
        {pct !== undefined ? `${pct}%` : ""}
      </progress>
    </div>
  );
}

// Confirm is a button that opens a dialog saying what will happen.
// Its content is rendered only while it is open (it may load what it
// names).
export function Confirm(props: { label: string; title: string; children: ReactNode; action: string; onConfirm: () => Promise<void> }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="danger"
        onClick={() => {
          setOpen(true);
          setError(undefined);
          ref.current?.showModal();
        }}
      >
        {props.label}
      </button>
      <dialog ref={ref} aria-label={props.title} onClose={() => setOpen(false)}>
        <h2>{props.title}</h2>
        <div>{open && props.children}</div>
        <ErrorBox error={error} />
        <div className="actions">
          <button type="button" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await props.onConfirm();
                ref.current?.close();
              } catch (e) {
                setError(e);
              } finally {
                setBusy(false);
              }
            }}
          >
            {props.action}
          </button>
        </div>
      </dialog>
    </>
  );
}

// Action is a button that runs an async action and shows its error.
export function Action(props: { label: string; run: () => Promise<unknown>; className?: string; disabled?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <span className="action">
      <button
        type="button"
        className={props.className}
        disabled={busy || props.disabled}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            await props.run();
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? props.label + "…" : props.label}
      </button>
      <ErrorBox error={error} />
    </span>
  );
}

export function Copy({ text }: { text: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      aria-live="polite"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setDone(true);
        } catch {
          setDone(false);
          window.prompt("Copy the token:", text);
        }
      }}
    >
      {done ? "Copied" : "Copy"}
    </button>
  );
}

export function ago(ts?: string | null): string {
  if (!ts) return "never";
  const s = Math.max(0, (Date.now() - new Date(ts).getTime()) / 1000);
  if (s < 60) return `${Math.round(s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export function bytes(n?: number): string {
  if (n === undefined || n === null) return "";
  const u = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < u.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i ? 1 : 0)} ${u[i]}`;
}

// Head is a table's caption (for screen readers) and column headers.
export function Head({ caption, columns }: { caption: string; columns: string[] }) {
  return (
    <>
      <caption className="sr">{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col" key={c}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
    </>
  );
}
