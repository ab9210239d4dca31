// A plain Node HTTP server answering every request with the same bytes and headers: the
// reference figure for the cached-feed load test (what serving those bytes costs without a
// Worker runtime at all). Run as its own process, so it does not share a core with the load tool:
//   node bench/static-server.mjs <body file> '<headers JSON>'
// It prints "listening <port>" once ready and serves until killed.

import { readFileSync } from "node:fs";
import http from "node:http";

const [bodyFile, headersJson] = process.argv.slice(2);
if (!bodyFile) {
  console.error("usage: node bench/static-server.mjs <body file> [headers JSON]");
  process.exit(2);
}
const body = readFileSync(bodyFile);
const headers = { ...JSON.parse(headersJson ?? "{}"), "content-length": String(body.length) };

const server = http.createServer((req, res) => {
  // Drain any request body before answering, as a real server would.
  req.resume();
  res.writeHead(200, headers);
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
