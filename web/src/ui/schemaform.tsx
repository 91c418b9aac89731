// SchemaForm is a form generated from a connection type's config schema
// (JSON Schema: string, integer, number, boolean, enum, string arrays).
import { useId } from "react";

type Prop = {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: string[];
  writeOnly?: boolean;
  items?: { type?: string };
};
export type ConfigSchema = { properties?: Record<string, Prop>; required?: string[] };

export type Values = Record<string, string | boolean>;

// configOf turns the form's values into the config object: numbers,
// booleans and comma-separated lists typed as the schema says; empty
// fields left out (the server's defaults apply).
export function configOf(schema: ConfigSchema, values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(schema.properties ?? {})) {
    const v = values[name];
    if (v === undefined || v === "") continue;
    switch (p.type) {
      case "integer":
      case "number":
        out[name] = Number(v);
        break;
      case "boolean":
        out[name] = Boolean(v);
        break;
      case "array":
        out[name] = String(v)
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      default:
        out[name] = v;
    }
  }
  return out;
}

export function SchemaForm({ schema, values, onChange, skip }: { schema: ConfigSchema; values: Values; onChange: (v: Values) => void; skip?: string }) {
  const base = useId();
  const required = new Set(schema.required ?? []);
  const props = Object.entries(schema.properties ?? {}).filter(([name]) => name !== skip);
  // Required fields first, then the rest in the schema's order.
  props.sort(([a], [b]) => Number(required.has(b)) - Number(required.has(a)));
  return (
    <fieldset>
      <legend>Configuration</legend>
      {props.map(([name, p]) => {
        const id = `${base}-${name}`;
        const label = name.replace(/_/g, " ") + (required.has(name) ? " (required)" : "");
        const help = [p.description, p.default !== undefined ? `Default: ${JSON.stringify(p.default)}` : ""].filter(Boolean).join(". ");
        const set = (v: string | boolean) => onChange({ ...values, [name]: v });
        return (
          <div className="field" key={name}>
            {p.type === "boolean" ? (
              <label htmlFor={id} className="check">
                <input id={id} type="checkbox" checked={Boolean(values[name])} onChange={(e) => set(e.target.checked)} /> {label}
              </label>
            ) : (
              <label htmlFor={id}>{label}</label>
            )}
            {p.enum ? (
              <select id={id} value={String(values[name] ?? p.default ?? "")} onChange={(e) => set(e.target.value)}>
                {p.enum.map((o) => (
                  <option key={o}>{o}</option>
                ))}
              </select>
            ) : p.type === "boolean" ? null : (
              <input
                id={id}
                name={name}
                type={p.writeOnly ? "password" : p.type === "integer" || p.type === "number" ? "number" : "text"}
                autoComplete={p.writeOnly ? "new-password" : "off"}
                required={required.has(name)}
                value={String(values[name] ?? "")}
                placeholder={p.default !== undefined ? String(p.default) : p.type === "array" ? "comma, separated" : ""}
                aria-describedby={help ? id + "-help" : undefined}
                onChange={(e) => set(e.target.value)}
              />
            )}
            {help && (
              <small id={id + "-help"} className="help">
                {help}
              </small>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
