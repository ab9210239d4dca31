// A generated Eurasianet-like site for the end-to-end ingest figure: every listing page the
// Eurasianet source polls (src/sources/shipped/eurasianet.json: path × pages) serves `perPage` teasers of
// stories found nowhere else, and every story has an article page in the fixture template. So
// one ingest run reads every listing page and every article once.
import http from "node:http";
import { articlePage, listingPage, stories } from "./pages.mjs";

/**
 * @param {{ path: string, pages: number }[]} listings the source's listings
 * @returns {Promise<{ origin: string, storyCount: number, requests: () => number, close: () => Promise<void> }>}
 */
export async function startIngestSite(listings, perPage = 25) {
  const pages = new Map(); // "/region/x?page=N" -> stories
  const articles = new Map(); // "/slug" -> { story, index }
  let index = 0;
  listings.forEach((listing, li) => {
    for (let page = 0; page < listing.pages; page++) {
      const list = stories(perPage, `l${li}p${page}`, index);
      pages.set(page === 0 ? listing.path : `${listing.path}?page=${page}`, list);
      for (const story of list) articles.set(`/${story.slug}`, { story, index: index++ });
    }
  });

  let origin = "";
  let served = 0;
  const cache = new Map();
  const server = http.createServer((req, res) => {
    served++;
    const url = new URL(req.url, "http://x");
    const page = Number(url.searchParams.get("page") ?? 0);
    const key = page > 0 ? `${url.pathname}?page=${page}` : url.pathname;
    let body = cache.get(key);
    if (body === undefined) {
      const list = pages.get(key);
      const article = articles.get(url.pathname);
      body = list ? listingPage(list) : article ? articlePage(article.story, article.index, origin) : null;
      cache.set(key, body);
    }
    if (body === null) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res
      .writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(body) })
      .end(body);
  });
  await new Promise((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    storyCount: articles.size,
    requests: () => served,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
