import { describe, expect, it } from "vitest";
import { extractArticle, firstOgImage } from "../../src/ingest/html/article";
import { cleanAuthorNames } from "../../src/ingest/html/authors";
import { htmlToText } from "../../src/ingest/sanitize";
import { ArticleSelectors } from "../../src/model/source";
import { shippedSource } from "../../src/sources";

const eurasianet = shippedSource("eurasianet", "html");

const ORIGIN = "https://eurasianet.org";
const SLUG = "azerbaijan-reaches-deal-with-belarus-over-missile-purchases-report";
const PAGE_URL = `${ORIGIN}/${SLUG}`;
const IMAGE_PATH = "/sites/default/files/styles/article/public/2018-04/polonez.jpg?itok=AbC123xY";

/** A seed-like article page in the agreed fixture template; `head` adds tags to <head>. */
function seedPage(head = ""): string {
  return `<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
  <meta charset="utf-8">
  <title>Azerbaijan reaches deal with Belarus over missile purchases - report | Eurasianet</title>
  <link rel="canonical" href="/${SLUG}">
  <meta name="description" content="The deal had, according to earlier reports, been blocked by Armenia.">
  <meta property="og:type" content="article">
  <meta property="og:url" content="${PAGE_URL}">
  <meta property="og:title" content="Azerbaijan reaches deal with Belarus over missile purchases - report">
  <meta property="og:description" content="The deal had, according to earlier reports, been blocked by Armenia.">
  <meta property="og:image" content="${ORIGIN}${IMAGE_PATH},${ORIGIN}/themes/custom/eurasianet/og-twitter.png">
  ${head}
</head>
<body>
  <header class="site-header">
    <nav><ul>
      <li><a href="/region/caucasus">Caucasus</a><ul><li><a href="/region/armenia">Armenia</a></li><li><a href="/region/azerbaijan">Azerbaijan</a></li><li><a href="/region/georgia">Georgia</a></li></ul></li>
      <li><a href="/region/eastern-europe">Eastern Europe</a><ul><li><a href="/region/belarus">Belarus</a></li><li><a href="/region/russia">Russia</a></li></ul></li>
      <li><a href="/topics/security">Security</a></li>
    </ul></nav>
  </header>
  <main role="main">
    <article class="node node--type-article">
      <div class="article__tags"><a href="/region/azerbaijan">Azerbaijan</a>, <a href="/region/belarus">Belarus</a>, <a href="/region/azerbaijan">Azerbaijan</a></div>
      <div class="article__topics"><a href="/topics/security">Security</a></div>
      <h1 class="article__title">Azerbaijan reaches deal with Belarus over missile purchases - report</h1>
      <div class="article__subtitle">The deal had, according to earlier reports, been blocked by Armenia.</div>
      <div class="article__meta"><a class="author-link" href="/people/joshua-kucera">Joshua Kucera</a> <span class="meta__date">Apr 18, 2018</span></div>
      <figure class="article__media"><img src="${IMAGE_PATH}" alt="Polonez launcher"><figcaption>Defense Minister Zakir Hasanov and a Polonez missile system. (photo: mod.gov.az)</figcaption></figure>
      <div class="article__body">
        <p>Azerbaijan has reached a deal to buy rocket launchers from Belarus, a Moscow daily <a href="/belarus-arms-exports">reported</a> on Tuesday.</p>
        <!-- editor's note: checked -->
        <p>The sale had been <em>blocked</em> by Yerevan &amp; its allies, according to earlier reports.<br>Minsk has not commented.</p>
        <div class="newsletter">Sign up for Eurasianet's free weekly newsletter.</div>
        <p>Baku sees the launchers as an answer to Armenia&#8217;s Iskander missiles.</p>
      </div>
      <div class="article__author-bio"><p>Joshua Kucera, a senior correspondent, has written for the site since 2007.</p></div>
    </article>
    <aside class="related"><h2>Related</h2><ul><li><a href="/methane-report">Eurasia is a significant source of methane emissions – report</a></li></ul></aside>
    <aside class="popular"><h2>Popular</h2><ul><li><a href="/tajik-migration">Restrictions do not stem Tajik migration</a></li></ul></aside>
  </main>
  <footer class="site-footer"><p>Eurasianet, Harriman Institute, Columbia University.</p></footer>
</body></html>`;
}

describe("extractArticle on a seed-like Eurasianet page with the source's selectors", () => {
  it("reads every field from the configured selectors", async () => {
    const article = await extractArticle(seedPage(), PAGE_URL, eurasianet.articleSelectors);
    expect(article).toMatchObject({
      canonicalUrl: PAGE_URL,
      title: "Azerbaijan reaches deal with Belarus over missile purchases - report",
      summary: "The deal had, according to earlier reports, been blocked by Armenia.",
      authors: ["Joshua Kucera"],
      publishedText: "Apr 18, 2018",
      modifiedText: null,
      countries: ["Azerbaijan", "Belarus"],
      topics: ["Security"],
      tags: [],
      image: {
        url: `${ORIGIN}${IMAGE_PATH}`,
        caption: "Defense Minister Zakir Hasanov and a Polonez missile system. (photo: mod.gov.az)",
      },
      language: "en",
    });
  });

  it("returns the body's inner HTML as written, without the excluded blocks", async () => {
    const { bodyHtml } = await extractArticle(seedPage(), PAGE_URL, eurasianet.articleSelectors);
    expect(bodyHtml).not.toBeNull();
    // Not sanitized yet: relative links and entities stay as in the source.
    expect(bodyHtml).toContain(
      '<p>Azerbaijan has reached a deal to buy rocket launchers from Belarus, a Moscow daily <a href="/belarus-arms-exports">reported</a> on Tuesday.</p>',
    );
    expect(bodyHtml).toContain(
      "<p>The sale had been <em>blocked</em> by Yerevan &amp; its allies, according to earlier reports.<br>Minsk has not commented.</p>",
    );
    expect(bodyHtml).toContain("Armenia&#8217;s Iskander");
    expect(bodyHtml).not.toMatch(/newsletter|senior correspondent|Related|Popular|methane|Harriman/);
    const text = await htmlToText(bodyHtml!);
    expect(text).toBe(
      "Azerbaijan has reached a deal to buy rocket launchers from Belarus, a Moscow daily reported on Tuesday. " +
        "The sale had been blocked by Yerevan & its allies, according to earlier reports. Minsk has not commented. " +
        "Baku sees the launchers as an answer to Armenia\u2019s Iskander missiles.",
    );
  });

  it("prefers a machine-readable publication date to the printed one", async () => {
    const page = seedPage(`<meta property="article:published_time" content="2018-04-18T10:27:00-04:00">
      <meta property="article:modified_time" content="2018-04-19T08:00:00-04:00">`);
    const article = await extractArticle(page, PAGE_URL, eurasianet.articleSelectors);
    expect(article.publishedText).toBe("2018-04-18T10:27:00-04:00");
    expect(article.modifiedText).toBe("2018-04-19T08:00:00-04:00");
  });

  it("keeps the first og:image URL when the figure image is missing", async () => {
    const page = seedPage().replace(/<figure[\s\S]*?<\/figure>/, "");
    const article = await extractArticle(page, PAGE_URL, eurasianet.articleSelectors);
    expect(article.image).toEqual({ url: `${ORIGIN}${IMAGE_PATH}`, caption: null });
  });

  it("accepts a Response", async () => {
    const response = new Response(seedPage(), { headers: { "content-type": "text/html; charset=UTF-8" } });
    const article = await extractArticle(response, PAGE_URL, eurasianet.articleSelectors);
    expect(article.title).toBe("Azerbaijan reaches deal with Belarus over missile purchases - report");
    expect(article.bodyHtml).toContain("Baku sees the launchers");
  });

  it("accepts a Response when the body needs a second pass", async () => {
    const selectors = ArticleSelectors.parse({ ...eurasianet.articleSelectors, body: "div.no-such-body" });
    const article = await extractArticle(new Response(seedPage()), PAGE_URL, selectors);
    expect(article.title).toBe("Azerbaijan reaches deal with Belarus over missile purchases - report");
    expect(article.bodyHtml).toContain("Baku sees the launchers");
    expect(article.bodyHtml).not.toContain("newsletter");
  });
});

describe("extractArticle when the selectors find nothing (markup drift)", () => {
  it("falls back to meta tags, <title> and the paragraph-richest container", async () => {
    const drifted = seedPage()
      .replace(/class="article__[a-z]+"/g, 'class="x"')
      .replace(/class="author-link"/, 'class="y"')
      .replace(/class="meta__date"/, 'class="z"');
    const article = await extractArticle(drifted, PAGE_URL, eurasianet.articleSelectors);
    expect(article.title).toBe("Azerbaijan reaches deal with Belarus over missile purchases - report");
    expect(article.summary).toBe("The deal had, according to earlier reports, been blocked by Armenia.");
    expect(article.countries).toEqual([]);
    expect(article.image?.url).toBe(`${ORIGIN}${IMAGE_PATH}`);
    expect(article.publishedText).toBeNull();
    // The body container is found by its paragraphs; the newsletter box is still excluded.
    expect(article.bodyHtml).toContain("Baku sees the launchers");
    expect(article.bodyHtml).toContain("Moscow daily");
    expect(article.bodyHtml).not.toContain("newsletter");
    expect(article.bodyHtml).not.toContain("Harriman");
  });

  it("strips the site name from <title> when there is no og:title", async () => {
    const page = seedPage().replace(/<meta property="og:title"[^>]*>/, "");
    const article = await extractArticle(page, PAGE_URL, ArticleSelectors.parse({}));
    expect(article.title).toBe("Azerbaijan reaches deal with Belarus over missile purchases - report");
  });
});

describe("extractArticle fallbacks", () => {
  const JSON_LD_PAGE = `<!doctype html><html><head>
    <title>Fallback &amp; friends</title>
    <meta property="og:locale" content="ru_RU">
    <meta property="article:author" content="https://www.facebook.com/someprofile">
    <script type="application/ld+json">
      {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "@id": "https://news.example/#site", "name": "News"},
        {"@type": "Person", "@id": "https://news.example/#anna", "name": "Anna Petrova"},
        {"@type": ["ReportageNewsArticle"], "headline": "Steppe &amp; river: a report", "description": "Across the steppe.",
         "author": [{"@id": "https://news.example/#anna"}, {"@type": "Person", "name": "Ivan Sidorov, a staff writer"}, "Dana Lee"],
         "datePublished": "2024-05-01T06:30:00+03:00", "dateModified": "2024-05-02 09:00:00Z",
         "image": [{"@type": "ImageObject", "url": "/img/steppe.jpg", "caption": "The steppe at dawn"}, "https://news.example/img/other.jpg"],
         "inLanguage": "ru", "url": "https://news.example/steppe-report", "articleSection": ["Society"], "keywords": "steppe, rivers"}
      ]}
    </script>
    <script>var notJson = "{";</script>
  </head><body>
    <div class="layout"><time datetime="2020-01-01">old</time>
      <div id="story"><p>First paragraph of the report, long enough to count for something.</p>
        <p>Second paragraph with more words about the steppe and its rivers and its people.</p>
        <div class="ad"><p>An advertisement paragraph.</p></div></div>
      <div class="sidebar"><p>Short.</p></div>
    </div>
  </body></html>`;

  it("reads JSON-LD inside @graph: headline, authors (objects, @id references, strings), dates, image, language", async () => {
    const article = await extractArticle(
      JSON_LD_PAGE,
      "https://news.example/steppe-report?utm=x",
      ArticleSelectors.parse({ exclude: ["div.ad"] }),
    );
    expect(article).toMatchObject({
      canonicalUrl: "https://news.example/steppe-report",
      title: "Steppe & river: a report",
      summary: "Across the steppe.",
      authors: ["Anna Petrova", "Ivan Sidorov", "Dana Lee"],
      publishedText: "2024-05-01T06:30:00+03:00",
      modifiedText: "2024-05-02T09:00:00Z",
      topics: ["Society"],
      tags: ["steppe", "rivers"],
      image: { url: "https://news.example/img/steppe.jpg", caption: "The steppe at dawn" },
      language: "ru-RU",
    });
    expect(article.bodyHtml).toContain("First paragraph of the report");
    expect(article.bodyHtml).toContain("Second paragraph");
    expect(article.bodyHtml).not.toContain("advertisement");
    expect(article.bodyHtml).not.toContain("Short.");
  });

  it("uses meta tags before JSON-LD, and generic markup last", async () => {
    const page = JSON_LD_PAGE.replace(
      "<title>",
      `<meta property="og:title" content="OG title &#8211; wins">
       <meta name="author" content="Meta Author">
       <meta property="article:section" content="Politics"><meta property="article:tag" content="Elections"><meta property="article:tag" content="Parliament">
       <meta property="og:image" content="https://cdn.example/c_fill,w_800/pic.jpg">
       <title>`,
    );
    const article = await extractArticle(page, "https://news.example/steppe-report", ArticleSelectors.parse({}));
    expect(article.title).toBe("OG title \u2013 wins");
    expect(article.authors).toEqual(["Meta Author"]);
    expect(article.topics).toEqual(["Politics"]);
    expect(article.tags).toEqual(["Elections", "Parliament"]);
    // A comma inside one URL is not a separator.
    expect(article.image).toEqual({ url: "https://cdn.example/c_fill,w_800/pic.jpg", caption: null });
  });

  it("takes time[datetime], <html lang> and <title> when nothing better exists", async () => {
    const page = `<html lang="ky"><head><title>Only a title</title></head><body>
      <article><time datetime="2023-09-09T12:00:00Z">9 Sep</time><p>Body text.</p></article></body></html>`;
    const article = await extractArticle(page, "https://kg.example/a", ArticleSelectors.parse({}));
    expect(article).toEqual({
      canonicalUrl: null,
      title: "Only a title",
      summary: null,
      authors: [],
      publishedText: "2023-09-09T12:00:00Z",
      modifiedText: null,
      countries: [],
      topics: [],
      tags: [],
      image: null,
      bodyHtml: '<time datetime="2023-09-09T12:00:00Z">9 Sep</time><p>Body text.</p>',
      language: "ky",
    });
  });

  it("uses the datetime attribute of the date element when it has one", async () => {
    const page = `<html><body><div class="by"><time class="d" datetime="2022-02-02T02:02:00Z">2 Feb</time></div><p>x</p></body></html>`;
    const article = await extractArticle(page, "https://a.example/", ArticleSelectors.parse({ date: "time.d" }));
    expect(article.publishedText).toBe("2022-02-02T02:02:00Z");
  });

  it("returns null body and fields for a page without content", async () => {
    const article = await extractArticle(
      "<html><body><nav><a href='/'>Home</a></nav></body></html>",
      "https://a.example/",
      ArticleSelectors.parse({ body: "div.body" }),
    );
    expect(article.bodyHtml).toBeNull();
    expect(article.title).toBeNull();
  });

  it("ignores an SVG icon's <title> and excluded elements nested deep in the body", async () => {
    const page = `<html><body><svg><title>icon</title></svg><title>Real title</title>
      <div class="body"><p>Keep <b>this</b>.</p><section><div><div class="share">Share <img src="/s.png"></div></div><hr class="share"></section><p>And this.</p></div></body></html>`;
    const article = await extractArticle(
      page,
      "https://a.example/",
      ArticleSelectors.parse({ body: "div.body", exclude: [".share"] }),
    );
    expect(article.title).toBe("Real title");
    expect(article.bodyHtml).toBe("<p>Keep <b>this</b>.</p><section><div></div></section><p>And this.</p>");
  });
});

describe("extractArticle: widgets inside a scored body", () => {
  const story =
    "<p>The first paragraph of the story, long enough to make this container the winner.</p>" +
    "<p>The second paragraph of the story, with a good many more words in it than the widgets.</p>";
  const widgets =
    '<div class="section also-read-news"><h3>Also read</h3><a href="/other">Another column</a></div>' +
    '<div class="share-buttons"><a href="https://facebook.com/sharer">Share</a></div>' +
    '<ul class="related-stories"><li>Related: yet another story</li></ul>' +
    '<div class="social"><a href="https://x.com/news">Follow us</a></div>';
  const page = `<html><body><div class="content">${story}${widgets}<p>The closing paragraph.</p></div></body></html>`;

  it("leaves out also-read, related, share and social blocks when the body is found by scoring", async () => {
    const article = await extractArticle(page, "https://news.example/a", ArticleSelectors.parse({}));
    expect(article.bodyHtml).toBe(`${story}<p>The closing paragraph.</p>`);
  });

  it("keeps them under a configured body selector, which says exactly what the story is", async () => {
    const article = await extractArticle(
      page,
      "https://news.example/a",
      ArticleSelectors.parse({ body: "div.content" }),
    );
    expect(article.bodyHtml).toContain("Another column");
    expect(article.bodyHtml).toContain("Follow us");
  });
});

describe("cleanAuthorNames and firstOgImage", () => {
  it("splits bylines into names and drops descriptions, domains and URLs", () => {
    expect(cleanAuthorNames(["By Jane Doe and John Roe"])).toEqual(["Jane Doe", "John Roe"]);
    expect(
      cleanAuthorNames([
        "Povilas Aleksandravičius, Mykolo Romerio universiteto Žmogaus ir visuomenės studijų fakulteto profesorius, Lrt.lt",
      ]),
    ).toEqual(["Povilas Aleksandravičius"]);
    expect(cleanAuthorNames(["Ursula von der Leyen", "ursula VON DER LEYEN"])).toEqual(["Ursula von der Leyen"]);
    expect(cleanAuthorNames(["https://www.facebook.com/x", "facebook.com/x"])).toEqual([]);
    expect(cleanAuthorNames(["staff reporter"])).toEqual(["staff reporter"]);
  });

  it("keeps the first of two comma-joined og:image URLs", () => {
    expect(firstOgImage("https://a.example/x.jpg?itok=1,https://a.example/og.png")).toBe(
      "https://a.example/x.jpg?itok=1",
    );
    expect(firstOgImage("/x.jpg, /og.png")).toBe("/x.jpg");
    expect(firstOgImage("https://cdn.example/w_1,h_2/x.jpg")).toBe("https://cdn.example/w_1,h_2/x.jpg");
  });
});
