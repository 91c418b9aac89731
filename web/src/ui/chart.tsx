// A bar or line chart (SVG) of a result with a category column and a
// number column: the first of each.
import { useState } from "react";

export type ChartSpec = { category: number; value: number };

const numeric = (v: unknown) => typeof v === "number" || (typeof v === "string" && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v));

export function chartable(columns: string[], rows: unknown[][]): ChartSpec | undefined {
  if (rows.length === 0 || columns.length < 2) return undefined;
  const isNum = columns.map((_, j) => rows.every((r) => r[j] === null || numeric(r[j])) && rows.some((r) => r[j] !== null));
  const value = isNum.findIndex((x, j) => x && j > 0);
  if (value < 0) return undefined;
  const category = isNum.findIndex((x) => !x);
  return { category: category >= 0 ? category : 0, value };
}

export function Chart({ columns, rows, spec }: { columns: string[]; rows: unknown[][]; spec: ChartSpec }) {
  const [kind, setKind] = useState<"bar" | "line">("bar");
  const data = rows.slice(0, 100).map((r) => ({ label: String(r[spec.category]), value: Number(r[spec.value] ?? 0) }));
  const w = 800,
    h = 320,
    pad = 40;
  const max = Math.max(0, ...data.map((d) => d.value));
  const min = Math.min(0, ...data.map((d) => d.value));
  const y = (v: number) => h - pad - ((v - min) / (max - min || 1)) * (h - 2 * pad);
  const step = (w - 2 * pad) / Math.max(1, data.length);
  const title = `${columns[spec.value]} by ${columns[spec.category]}`;
  return (
    <figure className="chart">
      <div role="group" aria-label="Chart type">
        <label>
          <input type="radio" name="kind" checked={kind === "bar"} onChange={() => setKind("bar")} /> Bar
        </label>
        <label>
          <input type="radio" name="kind" checked={kind === "line"} onChange={() => setKind("line")} /> Line
        </label>
      </div>
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={title}>
        <line x1={pad} x2={w - pad} y1={y(0)} y2={y(0)} stroke="currentColor" />
        {kind === "bar"
          ? data.map((d, i) => (
              <rect key={i} x={pad + i * step + step * 0.1} width={step * 0.8} y={Math.min(y(d.value), y(0))} height={Math.abs(y(0) - y(d.value))} className="bar">
                <title>{`${d.label}: ${d.value}`}</title>
              </rect>
            ))
          : (
            <polyline fill="none" className="line" points={data.map((d, i) => `${pad + i * step + step / 2},${y(d.value)}`).join(" ")} />
          )}
        {data.length <= 20 &&
          data.map((d, i) => (
            <text key={i} x={pad + i * step + step / 2} y={h - pad / 3} textAnchor="middle" fontSize="11">
              {d.label.slice(0, 12)}
            </text>
          ))}
        <text x={pad} y={pad / 2} fontSize="12">
          {max}
        </text>
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
