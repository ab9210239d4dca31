// Figures, the stdout table, bench/results.json and the README section.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * One figure. `target` is { op: "<=" | ">=", value } in the figure's unit, or null for figures
 * that are reported only; `pass` follows from it. `value` null means the figure could not be
 * measured, and `note` says why.
 */
export function figure({ key, label, value, unit, display, target = null, note = null, detail = null }) {
  const pass =
    target === null || value === null ? null : target.op === "<=" ? value <= target.value : value >= target.value;
  return { key, label, value, unit, display: display ?? formatValue(value, unit), target, pass, note, detail };
}

/** A figure that could not be measured (module not written yet, or its section failed). */
export function unavailable(key, label, reason, target = null) {
  return figure({ key, label, value: null, unit: null, display: "n/a", target, note: reason });
}

export function formatValue(value, unit) {
  if (value === null || value === undefined) return "n/a";
  const n = Math.abs(value) >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(value >= 10 ? 1 : 2);
  return unit === "×" ? `${n}×` : unit ? `${n} ${unit}` : n;
}

const targetText = (f) =>
  f.target ? `${f.target.op === "<=" ? "≤" : "≥"} ${formatValue(f.target.value, f.unit)}` : "report";
const resultText = (f) =>
  f.value === null ? (f.target ? "NOT MEASURED" : "n/a") : f.pass === null ? "" : f.pass ? "pass" : "FAIL";

/** The figures as a plain-text table for the terminal. */
export function textTable(figures) {
  const rows = [
    ["figure", "value", "target", "result"],
    ...figures.map((f) => [f.label, f.display, targetText(f), resultText(f)]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
  const line = (r) => r.map((cell, c) => cell + " ".repeat(widths[c] - [...cell].length)).join("  ");
  return [line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

/** The figures as a Markdown table (README). */
export function markdownTable(figures) {
  const esc = (s) => String(s).replace(/\|/g, "\\|");
  return [
    "| figure | value | target | result |",
    "|---|---|---|---|",
    ...figures.map((f) => `| ${esc(f.label)} | ${esc(f.display)} | ${esc(targetText(f))} | ${resultText(f)} |`),
  ].join("\n");
}

export function machineLine(m) {
  return (
    `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}, workerd ${m.workerd} ` +
    `(miniflare ${m.miniflare}, wrangler ${m.wrangler}), autocannon ${m.autocannon}; ` +
    `load average ${m.loadAverageAtStart} at start`
  );
}

export function writeJson(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}
