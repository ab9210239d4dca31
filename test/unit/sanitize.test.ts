import { describe, expect, it } from "vitest";
import { decodeEntities } from "../../src/ingest/html/entities";
import { htmlToText, sanitizeByRebuilding, sanitizeByRewriting, sanitizeHtml } from "../../src/ingest/sanitize";

const BASE = "https://eurasianet.org/some-story";

/** Every element and attribute name in `html`, as HTMLRewriter parses it. */
async function parsedNames(html: string): Promise<{ tags: string[]; attributes: string[]; comments: number }> {
  const tags: string[] = [];
  const attributes: string[] = [];
  let comments = 0;
  await new HTMLRewriter()
    .on("*", {
      element(el) {
        tags.push(el.tagName);
        for (const [name] of el.attributes) attributes.push(name!);
      },
    })
    .onDocument({
      comments() {
        comments++;
      },
    })
    .transform(new Response(html))
    .arrayBuffer();
  return { tags, attributes, comments };
}

const FORBIDDEN_TEXT = [
  /<script/i,
  /\son\w+\s*=/i,
  /javascript:/i,
  /data:/i,
  /vbscript:/i,
  /<iframe/i,
  /<svg/i,
  /<style/i,
  /<form/i,
  /<base/i,
  /<meta/i,
  /<math/i,
  /<object/i,
  /<embed/i,
  /<link/i,
  /<!--/,
];

/** Attack vectors in the manner of the OWASP XSS filter evasion cheat sheet. */
const VECTORS: Record<string, string> = {
  "plain script": `<script>alert(1)</script>`,
  "script in mixed case": `<ScRiPt>alert(1)</sCrIpT>`,
  "script with src": `<script src="https://evil.example/x.js"></script>`,
  "script split by a dropped tag": `<scr<script>x</script>ipt>alert(1)</script>`,
  "unclosed script": `<p>ok</p><script>alert(1)`,
  "img onerror": `<img src=x onerror=alert(1)>`,
  "img onerror without quotes or spaces": `<img/src="x"/onerror=alert(1)>`,
  "img with javascript src": `<img src="javascript:alert(1)">`,
  "img with data src": `<img src="data:image/svg+xml;base64,PHN2Zy8+">`,
  "svg onload": `<svg onload=alert(1)><circle r="1"/></svg>`,
  "svg with script": `<svg><script>alert(1)</script></svg>`,
  "body onload": `<body onload=alert(1)><p>x</p></body>`,
  "link with javascript": `<a href="javascript:alert(1)">click</a>`,
  "link with javascript in upper case": `<a href="JAVASCRIPT:alert(1)">click</a>`,
  "link with leading spaces and control chars": `<a href=" &#14;  javascript:alert(1)">click</a>`,
  "link with tab inside the scheme": `<a href="jav&#x09;ascript:alert(1)">click</a>`,
  "link with raw tab and newline inside the scheme": `<a href="jav\tas\ncript:alert(1)">click</a>`,
  "link with decimal references": `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>`,
  "link with references without semicolons": `<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">click</a>`,
  "link with hex references": `<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">click</a>`,
  "link with &colon;": `<a href="javascript&colon;alert(1)">click</a>`,
  "link with &Tab; and &NewLine;": `<a href="java&Tab;script&NewLine;:alert(1)">click</a>`,
  "link with vbscript": `<a href="vbscript:msgbox(1)">click</a>`,
  "link with data": `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>`,
  "link with onmouseover": `<a href="/ok" onmouseover="alert(1)">hover</a>`,
  "iframe srcdoc": `<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>`,
  "iframe src": `<iframe src="javascript:alert(1)"></iframe>`,
  "math mtext script": `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>`,
  "math href": `<math href="javascript:alert(1)"><mi>x</mi></math>`,
  "style import": `<style>@import 'https://evil.example/x.css';</style><p>text</p>`,
  "style attribute": `<p style="background:url(javascript:alert(1))">x</p>`,
  "meta refresh": `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
  "base href": `<base href="javascript:alert(1)//"><a href="/x">x</a>`,
  "form action": `<form action="javascript:alert(1)"><input type="submit" value="go"><button formaction="javascript:alert(1)">b</button></form>`,
  "object and embed": `<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">`,
  "link import": `<link rel="import" href="https://evil.example/x.html">`,
  "unclosed comment hiding a script": `<p>a</p><!--<script>alert(1)</script>`,
  "comment with conditional": `<!--[if gte IE 4]><script>alert(1)</script><![endif]-->`,
  "noscript mutation": `<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`,
  template: `<template><script>alert(1)</script></template>`,
  "textarea breakout": `<textarea><script>alert(1)</script></textarea>`,
  "encoded tag in text stays text": `&lt;script&gt;alert(1)&lt;/script&gt;`,
  "unwrapped element between angle brackets": `<<x-y>script>alert(1)<</x-y>/script>`,
  frameset: `<frameset onload=alert(1)><frame src="javascript:alert(1)"></frameset>`,
  "xml namespace trick": `<html xmlns:x="urn:x"><x:script>alert(1)</x:script></html>`,
  "video poster": `<video poster="javascript:alert(1)"><source src="x" onerror="alert(1)"></video>`,
  "blockquote cite": `<blockquote cite="javascript:alert(1)">q</blockquote>`,
  srcset: `<img src="/a.jpg" srcset="javascript:alert(1) 1x">`,
  "markup hidden in an end tag's attributes": `<p>x</p title="><img src=x onerror=alert(1)>">`,
  "tag left open at the end": `<p>x</p><img src=x onerror="alert(1)`,
  "upper-case tags": `<P>x<SCRIPT>alert(1)</SCRIPT><IMG SRC=x ONERROR=alert(1)></P>`,
  "CDATA outside foreign content": `<![CDATA[<script>alert(1)</script>]]>`,
  "processing instruction": `<?xml-stylesheet href="javascript:alert(1)"?><p>x</p>`,
};

/** Checks one sanitizer output: forbidden strings, element and attribute names, comments. */
async function expectSafe(out: string): Promise<void> {
  for (const pattern of FORBIDDEN_TEXT) expect(out, `${pattern} in ${out}`).not.toMatch(pattern);
  const { tags, attributes, comments } = await parsedNames(out);
  const allowedTags =
    /^(?:p|br|a|em|strong|b|i|u|s|sub|sup|blockquote|q|cite|ul|ol|li|h[2-6]|figure|figcaption|img|pre|code|table|caption|thead|tbody|tfoot|tr|th|td|hr|span|div|abbr|time|small|mark|dl|dt|dd)$/;
  for (const tag of tags) expect(tag).toMatch(allowedTags);
  for (const attribute of attributes)
    expect(attribute).toMatch(/^(?:href|title|src|alt|width|height|colspan|rowspan|datetime|cite)$/);
  expect(comments).toBe(0);
}

describe("sanitizeHtml against XSS vectors", () => {
  for (const [name, vector] of Object.entries(VECTORS)) {
    it(name, async () => {
      const out = await sanitizeHtml(vector, BASE);
      await expectSafe(out);
      // Sanitizing is idempotent: the output is already in its final form.
      expect(await sanitizeHtml(out, BASE)).toBe(out);
      // Each path is safe on its own, whichever one sanitizeHtml picked.
      await expectSafe(await sanitizeByRebuilding(vector, BASE));
      const fast = await sanitizeByRewriting(vector, BASE);
      if (fast !== null) await expectSafe(fast);
    });
  }

  it("takes the fast path for well-formed vectors and the careful one for the rest", async () => {
    for (const name of [
      "img onerror",
      "upper-case tags",
      "svg with script",
      "link with tab inside the scheme",
      "math mtext script",
      "meta refresh",
      "iframe srcdoc",
      "unclosed comment hiding a script",
      "textarea breakout",
    ]) {
      expect(await sanitizeByRewriting(VECTORS[name]!, BASE), name).not.toBeNull();
    }
    for (const name of [
      "unwrapped element between angle brackets",
      "script split by a dropped tag",
      "comment with conditional",
      "markup hidden in an end tag's attributes",
      "tag left open at the end",
      "CDATA outside foreign content",
      "processing instruction",
    ]) {
      expect(await sanitizeByRewriting(VECTORS[name]!, BASE), name).toBeNull();
    }
  });

  it("keeps the text of links whose href is refused", async () => {
    expect(await sanitizeHtml(`<p><a href="jav&#x09;ascript:alert(1)">click here</a> now</p>`, BASE)).toBe(
      "<p>click here now</p>",
    );
  });

  it("keeps an attribute value that only looks like code as inert text", async () => {
    const out = await sanitizeHtml(`<a href="/ok" title='x" onclick="alert(1)'>t</a>`, BASE);
    expect(out).toBe(`<a href="https://eurasianet.org/ok" title="x&quot; onclick=&quot;alert(1)">t</a>`);
    expect((await parsedNames(out)).attributes).toEqual(["href", "title"]);
  });

  it("does not let text around a removed tag form a new tag", async () => {
    expect(await sanitizeHtml(`<<x-y>script>alert(1)<</x-y>/script>`, BASE)).toBe(
      "&lt;script&gt;alert(1)&lt;/script&gt;",
    );
  });

  it("drops the content of code and UI elements, not just the tags", async () => {
    const out = await sanitizeHtml(
      `<p>a</p><script>var s = 1;</script><style>p{}</style><form><label>Name</label><input></form><noscript>enable JS</noscript><p>b</p>`,
      BASE,
    );
    expect(out).toBe("<p>a</p><p>b</p>");
  });
});

describe("sanitizeHtml keeps ordinary formatting", () => {
  it("keeps paragraphs, links, emphasis, lists, images and quotes, resolving URLs", async () => {
    const input = `<div class="article__body" id="b" style="color:red">
<p class="lead">Azerbaijan has <strong>reached</strong> a <em>deal</em> &amp; more, <a href="/other-story?a=1&amp;b=2" target="_blank" rel="nofollow" data-x="1">reported</a> <a href="mailto:desk@eurasianet.org">desk</a>.</p>
<ul><li>One</li><li>Two <b>bold</b> <i>it</i> <u>u</u> <s>s</s> H<sub>2</sub>O x<sup>2</sup></li></ul>
<blockquote cite="https://example.org/src"><p>Quoted <q>words</q> by <cite>someone</cite>.</p></blockquote>
<figure><img src="/sites/default/files/x.jpg?itok=1" alt="A &quot;launcher&quot;" width="800" height="450" srcset="/x-2x.jpg 2x" loading="lazy"><figcaption>Caption (photo: mod.gov.az)</figcaption></figure>
<h1>Heading one</h1><h3>Sub</h3>
<table><thead><tr><th colspan="2">Head</th></tr></thead><tbody><tr><td rowspan="x">a</td><td>b</td></tr></tbody></table>
<pre><code>code &lt;here&gt;</code></pre><hr><p><abbr title="Collective Security Treaty Organization">CSTO</abbr> <time datetime="2018-04-18">Apr 18</time> <small>s</small> <mark>m</mark></p>
<dl><dt>T</dt><dd>D</dd></dl><span>span</span><br>
<section><p>In a section</p></section><font color="red">unwrapped font</font>
</div>`;
    const out = await sanitizeHtml(input, BASE);
    // Well-formed input: both paths give the same markup.
    expect(await sanitizeByRewriting(input, BASE)).toBe(out);
    expect(await sanitizeByRebuilding(input, BASE)).toBe(out);
    expect(out).toBe(`<div>
<p>Azerbaijan has <strong>reached</strong> a <em>deal</em> &amp; more, <a href="https://eurasianet.org/other-story?a=1&amp;b=2">reported</a> <a href="mailto:desk@eurasianet.org">desk</a>.</p>
<ul><li>One</li><li>Two <b>bold</b> <i>it</i> <u>u</u> <s>s</s> H<sub>2</sub>O x<sup>2</sup></li></ul>
<blockquote cite="https://example.org/src"><p>Quoted <q>words</q> by <cite>someone</cite>.</p></blockquote>
<figure><img src="https://eurasianet.org/sites/default/files/x.jpg?itok=1" alt="A &quot;launcher&quot;" width="800" height="450"><figcaption>Caption (photo: mod.gov.az)</figcaption></figure>
<h2>Heading one</h2><h3>Sub</h3>
<table><thead><tr><th colspan="2">Head</th></tr></thead><tbody><tr><td>a</td><td>b</td></tr></tbody></table>
<pre><code>code &lt;here&gt;</code></pre><hr><p><abbr title="Collective Security Treaty Organization">CSTO</abbr> <time datetime="2018-04-18">Apr 18</time> <small>s</small> <mark>m</mark></p>
<dl><dt>T</dt><dd>D</dd></dl><span>span</span><br>
<div><p>In a section</p></div>unwrapped font
</div>`);
  });

  it("balances what the source left open (the careful path)", async () => {
    expect(await sanitizeByRewriting(`<ul><li>one<li>two</ul>`, BASE)).toBeNull();
    expect(await sanitizeByRewriting(`<p>a<div>b</div></p>`, BASE)).toBeNull();
    expect(await sanitizeByRewriting(`<p>a</div></p>`, BASE)).toBeNull();
    expect(await sanitizeHtml(`<ul><li>one<li>two</ul><p>a<p>b<div>c</div>d`, BASE)).toBe(
      "<ul><li>one</li><li>two</li></ul><p>a</p><p>b</p><div>c</div>d",
    );
    expect(await sanitizeHtml(`<p><b><i>x</b> y</i></p><em>open`, BASE)).toBe("<p><b><i>x</i></b> y</p><em>open</em>");
    expect(await sanitizeHtml(`<table><tr><td>1<td>2<tr><td>3</table>`, BASE)).toBe(
      "<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>",
    );
  });

  it("takes a lazy-loaded image's real URL and drops images without one", async () => {
    expect(
      await sanitizeHtml(
        `<img class="lazy" data-src="/img/a.jpg" alt="a"><img alt="no source"><img src="data:image/gif;base64,R0l" data-src="//cdn.example/b.jpg">`,
        BASE,
      ),
    ).toBe(`<img src="https://eurasianet.org/img/a.jpg" alt="a"><img src="https://cdn.example/b.jpg">`);
  });
});

describe("htmlToText", () => {
  it("gives plain text with entities decoded, blocks separated and whitespace collapsed", async () => {
    const text = await htmlToText(
      `<h2>Title</h2><p>One&nbsp;&amp; <em>two</em>,\n   three&#8230;</p><ul><li>a</li><li>b</li></ul>x<br>y<script>var z = "<p>no</p>";</script><style>p{}</style><p>caf&eacute; &#x41;&quot;</p>`,
    );
    expect(text).toBe('Title One & two, three\u2026 a b x y café A"');
  });

  it("keeps a stray < as text and stays fast on text full of them", async () => {
    expect(await htmlToText(`<p>a < b &amp;&amp; 1<2</p>`)).toBe("a < b && 1<2");
    const hostile = "<a".repeat(50_000);
    const started = Date.now();
    await htmlToText(hostile);
    await sanitizeHtml(hostile, BASE);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("returns an empty string for markup without text", async () => {
    expect(await htmlToText(`<img src="/x.jpg"><br>  `)).toBe("");
  });
});

describe("decodeEntities", () => {
  it("decodes named, decimal and hex references, with and without semicolons where browsers do", () => {
    expect(
      decodeEntities(
        "&amp;&lt;&gt;&quot;&apos;&nbsp;&copy;&eacute;&Ouml;&mdash;&ndash;&hellip;&rsquo;&ldquo;&euro;&trade;",
      ),
    ).toBe("&<>\"'\u00a0©éÖ—–…’“€™");
    expect(decodeEntities("&#65;&#x42;&#X43;&#0000068&#x45")).toBe("ABCDE");
    expect(decodeEntities("&#150;&#x92;")).toBe("\u2013\u2019"); // Windows-1252 meanings
    expect(decodeEntities("&#0;&#xD800;&#x110000;")).toBe("\uFFFD\uFFFD\uFFFD");
    expect(decodeEntities("a &unknown; b & c &amp")).toBe("a &unknown; b & c &");
  });
});
