// The baseline for the compressed cached-feed load test: a Worker that answers every request
// with one constant, already compressed body (a Data module) and the headers the real Worker
// sent with it, passed through as they are (encodeBody: "manual"), as the real Worker does.
import body from "./feed-body.bin";

export default {
  fetch(_request, env) {
    return new Response(body, { headers: env.HEADERS, encodeBody: "manual" });
  },
};
