import { describe, expect, it } from "vitest";
import { parseListing } from "../../src/ingest/html/listing";
import { pagePath } from "../../src/ingest/kinds/html";
import { ListingDef, ListingSelectors } from "../../src/model/source";
import { shippedSource } from "../../src/sources";

const eurasianet = shippedSource("eurasianet", "html");

const PAGE_URL = "https://eurasianet.org/region/caucasus?page=1";

/** A teaser in the confirmed Eurasianet listing markup. */
function row(opts: {
  href?: string;
  title: string;
  dek?: string;
  author?: string;
  date?: string;
  img?: string;
}): string {
  const link = opts.href === undefined ? opts.title : `<a href="${opts.href}" hreflang="en">${opts.title}</a>`;
  return `
    <div class="view__row">
      <div class="teaser">
        ${opts.img ? `<div class="teaser__media"><a href="${opts.href ?? "#"}"><img src="${opts.img}" alt="" width="400"></a></div>` : ""}
        <h2 class="teaser__title">${link}</h2>
        ${opts.dek ? `<div class="teaser__subtitle">${opts.dek}</div>` : ""}
        <div class="teaser__meta">
          ${opts.author ? `<a class="author-link" href="/people/x">${opts.author}</a>` : ""}
          ${opts.date ? `<span class="meta__date">${opts.date}</span>` : ""}
        </div>
      </div>
    </div>`;
}

const LISTING = `<!DOCTYPE html>
<html lang="en"><head><title>Caucasus | Eurasianet</title></head>
<body>
  <header><nav><div class="view__row"><h2 class="teaser__title"><a href="/menu-item">Menu look-alike</a></h2></div></nav></header>
  <main>
    <div class="views-view-sidebar__main">
      ${row({
        href: "/azerbaijan-reaches-deal-with-belarus-over-missile-purchases-report",
        title: "Azerbaijan reaches deal with Belarus over missile purchases - report",
        dek: "The deal had, according to earlier reports, been blocked by Armenia.",
        author: "Joshua Kucera",
        date: "Apr 18, 2018",
        img: "/sites/default/files/styles/teaser/public/2018-04/polonez.jpg?itok=Zx9Q1bC2",
      })}
      ${row({
        href: "https://eurasianet.org/georgia-tbilisi-metro-fares",
        title: "Georgia:\n   Tbilisi  raises metro fares &amp; bus fares",
        dek: "Commuters say &#8220;enough&#8221; &ndash; the city says costs rose.",
        date: "Apr 17, 2018",
      })}
      ${row({ title: "A teaser whose title has no link", dek: "Dropped.", date: "Apr 16, 2018" })}
      ${row({
        href: "armenia-protests-day-five",
        title: "Armenia&#x27;s protests enter day five",
        author: "Ani Mejlumyan",
        date: "Apr 16, 2018",
        img: "../../sites/default/files/2018-04/yerevan.jpg",
      })}
    </div>
    <aside class="sidebar">
      <h2>Popular</h2>
      ${row({ href: "/popular-story", title: "A popular story in the sidebar", dek: "Sidebar dek", author: "Sidebar Author", date: "Apr 1, 2018", img: "/sidebar.jpg" })}
    </aside>
  </main>
</body></html>`;

describe("parseListing on Eurasianet listing markup", () => {
  it("reads the teasers inside the container only, resolving links and images", async () => {
    const page = await parseListing(LISTING, PAGE_URL, eurasianet.listingSelectors);
    expect(page.containerFound).toBe(true);
    // Four rows in the container (one without a link); the nav and sidebar rows do not count.
    expect(page.rowsMatched).toBe(4);
    expect(page.teasers).toEqual([
      {
        url: "https://eurasianet.org/azerbaijan-reaches-deal-with-belarus-over-missile-purchases-report",
        title: "Azerbaijan reaches deal with Belarus over missile purchases - report",
        summary: "The deal had, according to earlier reports, been blocked by Armenia.",
        author: "Joshua Kucera",
        dateText: "Apr 18, 2018",
        imageUrl: "https://eurasianet.org/sites/default/files/styles/teaser/public/2018-04/polonez.jpg?itok=Zx9Q1bC2",
      },
      {
        url: "https://eurasianet.org/georgia-tbilisi-metro-fares",
        title: "Georgia: Tbilisi raises metro fares & bus fares",
        summary: "Commuters say \u201cenough\u201d \u2013 the city says costs rose.",
        author: null,
        dateText: "Apr 17, 2018",
        imageUrl: null,
      },
      {
        url: "https://eurasianet.org/region/armenia-protests-day-five",
        title: "Armenia's protests enter day five",
        summary: null,
        author: "Ani Mejlumyan",
        dateText: "Apr 16, 2018",
        imageUrl: "https://eurasianet.org/sites/default/files/2018-04/yerevan.jpg",
      },
    ]);
  });

  it("accepts a Response and reports a missing container", async () => {
    const page = await parseListing(
      new Response(
        "<html><body><div class='view__row'><h2 class='teaser__title'><a href='/x'>X</a></h2></div></body></html>",
      ),
      PAGE_URL,
      eurasianet.listingSelectors,
    );
    expect(page).toEqual({ teasers: [], containerFound: false, rowsMatched: 0, next: null });
  });

  it("finds the container even when it holds no rows (markup drift inside it)", async () => {
    const page = await parseListing(
      `<div class="views-view-sidebar__main"><article class="card"><a href="/x">X</a></article></div>`,
      PAGE_URL,
      eurasianet.listingSelectors,
    );
    expect(page).toEqual({ teasers: [], containerFound: true, rowsMatched: 0, next: null });
  });
});

describe("parseListing with other selectors", () => {
  const html = `
    <ul id="news">
      <li class="item"><a class="headline" href="/one?x=1&amp;y=2">One &lt;great&gt; story</a><p class="by">By A</p><p class="by">B</p>
        <time class="when" datetime="2024-01-02">2 Jan</time><img class="thumb" src="data:image/gif;base64,R0lGOD" data-src="/img/one.jpg"></li>
      <li class="item"><a class="headline" href="/two">Two</a><a class="more" href="/two-full">more</a></li>
      <li class="item"><a class="headline" href="/one?x=1&amp;y=2">One again (same story)</a></li>
      <li class="item"><a class="headline" href="javascript:void(0)">Scripted link</a></li>
    </ul>`;

  it("uses a title element that is itself the link, joins several authors, lazy images", async () => {
    const selectors = ListingSelectors.parse({
      container: "#news",
      item: "li.item",
      title: "a.headline",
      author: "p.by",
      date: ".when",
      image: "img.thumb",
    });
    const page = await parseListing(html, "https://example.org/list", selectors);
    expect(page.rowsMatched).toBe(4);
    expect(page.teasers).toEqual([
      {
        url: "https://example.org/one?x=1&y=2",
        title: "One <great> story",
        summary: null,
        author: "By A, B",
        dateText: "2 Jan",
        imageUrl: "https://example.org/img/one.jpg",
      },
      { url: "https://example.org/two", title: "Two", summary: null, author: null, dateText: null, imageUrl: null },
    ]);
  });

  it("takes the link from the link selector when one is configured", async () => {
    const selectors = ListingSelectors.parse({
      container: "#news",
      item: "li.item",
      title: "a.headline",
      link: "a.more",
    });
    const page = await parseListing(html, "https://example.org/list", selectors);
    expect(page.teasers.map((t) => [t.url, t.title])).toEqual([["https://example.org/two-full", "Two"]]);
  });

  it("accepts selector lists for a field", async () => {
    const selectors = ListingSelectors.parse({ container: "#news", item: "li.item", title: "h2, a.headline" });
    const page = await parseListing(html, "https://example.org/list", selectors);
    expect(page.teasers.map((t) => t.title)).toEqual(["One <great> story", "Two"]);
  });
});

describe("listing pages in every paging style", () => {
  const def = (paging?: unknown) => ListingDef.parse({ path: "/news", pages: 3, paging });
  const paths = (d: ListingDef) => [0, 1, 2].map((p) => pagePath(d, p));

  it("?page=N from 0 (the first page without it), from 1, or another parameter", () => {
    expect(paths(def())).toEqual(["/news", "/news?page=1", "/news?page=2"]);
    expect(paths(def({ style: "query", first: 1 }))).toEqual(["/news?page=1", "/news?page=2", "/news?page=3"]);
    expect(paths(def({ style: "query", param: "p", first: 1 }))).toEqual(["/news?p=1", "/news?p=2", "/news?p=3"]);
    const withQuery = ListingDef.parse({ path: "/list?cat=5", pages: 2, paging: { style: "query", first: 0 } });
    expect([0, 1].map((p) => pagePath(withQuery, p))).toEqual(["/list?cat=5", "/list?cat=5&page=1"]);
  });

  it("a path template from the second page on", () => {
    expect(paths(def({ style: "path", template: "/news/page/{n}/" }))).toEqual([
      "/news",
      "/news/page/2/",
      "/news/page/3/",
    ]);
    expect(() => def({ style: "path", template: "/news/page/" })).toThrow(/\{n\}/);
  });

  it("reads the next link a selector names, anywhere on the page", async () => {
    const html = `<ul class="l"><li class="i"><h3><a href="/a">A</a></h3></li></ul>
      <nav><a class="prev" href="?page=1">Newer</a><a class="next" href="?page=3">Older</a></nav>`;
    const selectors = { container: "ul.l", item: "li.i", title: "h3" };
    const page = await parseListing(html, "https://ex.org/news?page=2", selectors, "nav a.next");
    expect(page.next).toBe("https://ex.org/news?page=3");
    expect((await parseListing(html, "https://ex.org/news", selectors, "a[rel=next]")).next).toBeNull();
  });
});
