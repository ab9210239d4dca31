// The baseline for the cached-feed load test: a Worker that answers every request with one
// constant string. run.mjs gives it the exact bytes and headers the real Worker served for the
// warmed feed (the body as a Text module, the headers as a JSON binding), so the two differ only
// in the work the real Worker does per request.
import body from "./feed-body.txt";

export default {
  fetch(_request, env) {
    return new Response(body, { headers: env.HEADERS });
  },
};
