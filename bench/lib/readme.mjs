// The README's "Performance" section, generated from one run's results so the table in the
// README is always a real run's, with the machine it ran on.

export function readmeSection(results, table, machineText) {
  const notes = results.figures.filter((f) => f.note).map((f) => `- **${f.label}**: ${f.note}`);
  return `## Performance

\`npm run bench\` measures every figure below in one run (about four minutes on two cores), prints
this table and writes \`bench/results.json\` (every figure, its samples and the machine). It
starts and stops everything it needs: the Workers under Miniflare (workerd, the Workers
runtime), the fixture origins and a static reference server. \`bench/README.md\` says how each
figure is taken.

Latest run, ${results.date.slice(0, 10)}, on ${machineText}:

${table}

${notes.join("\n")}

How the figures are taken, in short:
- Times of project code (rendering, parsing, tagging) are taken **inside workerd**, by a bench
  Worker that imports the project's modules: batches of calls between two timer waits, sized to
  about 60 ms, median of 9 batches.
- Requests per second: the Worker bundle that \`wrangler deploy\` would upload, under Miniflare on
  a direct workerd socket (not behind \`wrangler dev\`'s proxy, which caps any Worker near 600
  requests/s here), against a Worker that returns the same bytes as a constant string, with the
  same load tool (autocannon, ${results.figures.find((f) => f.key === "feed.rps_ratio")?.detail?.load?.connections ?? 10} connections) in alternating rounds.
- The 10k vs 1M query is SQLite, as D1 is, measured in Node (\`node:sqlite\`) because loading a
  million rows through Miniflare's D1 would take longer than the whole bench: the schema is
  \`migrations/*.sql\` as written and the statement is \`buildItemQuery\` from
  \`src/store/query.ts\`, bundled from the source. Combined filters (region × topic, country ×
  source, a combination holding 1% of items) are timed the same way, on the same databases.
`;
}
