import { describe, expect, it } from "vitest";
import type { RawArticle, RawTeaser } from "../../src/ingest/html/types";
import { htmlKind } from "../../src/ingest/kinds/html";
import { MAX_CONTENT_CHARS } from "../../src/ingest/normalize";
import { storyWrite } from "../../src/ingest/reader";
import type { ListingTerms } from "../../src/ingest/story";
import { withListingTerms } from "../../src/ingest/terms";
import type { HtmlSource } from "../../src/model/source";
import { shippedSource } from "../../src/sources";
import type { StoredItemState } from "../../src/store/items";

const eurasianet = shippedSource("eurasianet", "html");

/**
 * An HTML source's story through the reader's draft, sanitize, normalize, tag and commit
 * stages: a teaser on a listing with these terms, and its article page whose body is given.
 */
async function normalizeStory(input: {
  source: HtmlSource;
  teaser: RawTeaser;
  listingTerms: ListingTerms;
  article: RawArticle | null;
  contentHtml: string | null;
  previous: StoredItemState | null;
  now: string;
}) {
  const listing = {
    id: "test:/x?page=0",
    url: "https://eurasianet.org/x",
    def: { path: "/x", pages: 1, ...input.listingTerms },
    page: 0,
  };
  const page = input.article ? { raw: { ...input.article, bodyHtml: input.contentHtml }, url: input.teaser.url } : null;
  const hash = await htmlKind.hash(input.teaser);
  return storyWrite(htmlKind, input.source, listing, input.teaser, page, input.previous, hash, input.now);
}

const teaser: RawTeaser = {
  url: "https://eurasianet.org/a-story?utm_source=x",
  title: "A story",
  summary: "Its dek.",
  author: "Teaser Author",
  dateText: "Apr 18, 2018",
  imageUrl: "https://eurasianet.org/t.jpg",
};
const article: RawArticle = {
  canonicalUrl: "https://eurasianet.org/a-story",
  title: "A story, in full",
  summary: "Page dek.",
  authors: ["Page Author"],
  publishedText: "2018-04-18T10:27:00-04:00",
  modifiedText: null,
  countries: ["Nagorno Karabakh", "Atlantis"],
  topics: ["Arts and Culture"],
  tags: ["culture"],
  image: { url: "https://eurasianet.org/i.jpg", caption: "A caption" },
  bodyHtml: "<p>x</p>",
  language: "en-US",
};
const listingTerms = { countries: ["armenia"], regions: [], topics: [] };

describe("normalizeStory", () => {
  it("merges teaser, article and listing into one item with canonical terms", async () => {
    const s = await normalizeStory({
      source: eurasianet,
      teaser,
      listingTerms,
      article,
      contentHtml: "<p>x</p>",
      previous: null,
      now: "2026-01-01T00:00:00.000Z",
    });
    expect(s.item.title).toBe("A story, in full");
    expect(s.item.summary).toBe("Its dek.");
    expect(s.item.authors).toEqual(["Page Author"]);
    expect(s.item.publishedAt).toBe("2018-04-18T14:27:00.000Z");
    expect(s.item.updatedAt).toBe(s.item.publishedAt);
    expect(s.item.firstSeenAt).toBe("2026-01-01T00:00:00.000Z");
    expect(s.item.countries).toEqual(["armenia", "nagorno-karabakh"]);
    expect(s.item.regions).toEqual(["caucasus", "conflict-zones"]);
    expect(s.item.topics).toEqual(["arts-and-culture"]);
    expect(s.item.tags).toEqual(["culture", "Atlantis"]);
    expect(s.item.language).toBe("en");
    expect(
      s.terms
        .filter((t) => t.kind === "topic")
        .map((t) => t.slug)
        .sort(),
    ).toEqual(["arts-and-culture", "society"]);
    expect(s.changed).toBe(true);
  });

  it("is unchanged when nothing a reader sees changed, and keeps firstSeenAt", async () => {
    const first = await normalizeStory({
      source: eurasianet,
      teaser,
      listingTerms,
      article,
      contentHtml: "<p>x</p>",
      previous: null,
      now: "2026-01-01T00:00:00.000Z",
    });
    const previous = {
      id: first.item.id,
      sourceId: "eurasianet",
      sources: ["eurasianet"],
      contentHash: first.contentHash,
      teaserHash: first.teaserHash,
      firstSeenAt: first.item.firstSeenAt,
      updatedAt: first.item.updatedAt,
      countries: first.item.countries,
      regions: first.item.regions,
      topics: first.item.topics,
    };
    const again = await normalizeStory({
      source: eurasianet,
      teaser,
      listingTerms,
      article,
      contentHtml: "<p>x</p>",
      previous,
      now: "2026-02-01T00:00:00.000Z",
    });
    expect(again.changed).toBe(false);
    expect(again.item.updatedAt).toBe(first.item.updatedAt);
    const edited = await normalizeStory({
      source: eurasianet,
      teaser,
      listingTerms,
      article,
      contentHtml: "<p>y</p>",
      previous,
      now: "2026-02-01T00:00:00.000Z",
    });
    expect(edited.changed).toBe(true);
    expect(edited.item.id).toBe(first.item.id);
    expect(edited.item.updatedAt).toBe("2026-02-01T00:00:00.000Z");
    expect(edited.item.firstSeenAt).toBe("2026-01-01T00:00:00.000Z");
  });

  it("does not store a body too large for D1", async () => {
    const huge = `<p>${"a".repeat(MAX_CONTENT_CHARS)}</p>`;
    const s = await normalizeStory({
      source: eurasianet,
      teaser,
      listingTerms,
      article,
      contentHtml: huge,
      previous: null,
      now: "2026-01-01T00:00:00.000Z",
    });
    expect(s.item.contentHtml).toBeNull();
    expect(s.item.summary).toBe("Its dek.");
  });

  it("adds a listing's terms to a stored item, or says there is nothing to add", async () => {
    const s = await normalizeStory({
      source: eurasianet,
      teaser,
      listingTerms,
      article: null,
      contentHtml: null,
      previous: null,
      now: "2026-01-01T00:00:00.000Z",
    });
    expect(withListingTerms(s.item, { countries: ["armenia"], regions: [], topics: [] })).toBeNull();
    const merged = withListingTerms(s.item, { countries: ["georgia"], regions: [], topics: ["security"] })!;
    expect(merged.countries).toEqual(["armenia", "georgia"]);
    expect(merged.regions).toEqual(["caucasus"]);
    expect(merged.topics).toEqual(["security"]);
  });
});

describe("tagging what the source does not say", () => {
  it("adds tagger countries and topics only where the source gave none, marked as the tagger's", async () => {
    const bare: RawTeaser = {
      url: "https://eurasianet.org/tbilisi-protest",
      title: "Tbilisi protesters rally outside parliament over election results",
      summary: "Georgian opposition parties reject the vote count and call for a rerun.",
      author: null,
      dateText: "Nov 2, 2026",
      imageUrl: null,
    };
    const s = await normalizeStory({
      source: eurasianet,
      teaser: bare,
      listingTerms: { countries: [], regions: [], topics: [] },
      article: null,
      contentHtml: null,
      previous: null,
      now: "2026-11-02T00:00:00.000Z",
    });
    expect(s.item.countries).toEqual(["georgia"]);
    expect(s.item.regions).toEqual(["caucasus"]);
    expect(s.item.topics).toContain("politics");
    const origins = Object.fromEntries(s.terms.map((t) => [`${t.kind}:${t.slug}`, t.origin]));
    expect(origins["country:georgia"]).toBe("tagger");
    expect(origins["region:caucasus"]).toBe("tagger");
    expect(origins["topic:politics"]).toBe("tagger");
    expect(origins["source:eurasianet"]).toBe("source");

    // A listing that names the country: the source said so; the tagger adds no countries.
    const listed = await normalizeStory({
      source: eurasianet,
      teaser: bare,
      listingTerms: { countries: ["armenia"], regions: [], topics: [] },
      article: null,
      contentHtml: null,
      previous: null,
      now: "2026-11-02T00:00:00.000Z",
    });
    expect(listed.item.countries).toEqual(["armenia"]);
    expect(listed.terms.find((t) => t.kind === "country")!.origin).toBe("source");
  });
});

describe("plain-text fields", () => {
  it("drops tag-shaped text from titles, summaries and authors", async () => {
    const hostile: RawTeaser = {
      url: "https://eurasianet.org/x",
      title: 'Headline <img src=x onerror="alert(1)"> here <script>',
      summary: "A <b>bold</b> dek <svg/onload=alert(2)>",
      author: "<i>Name</i>",
      dateText: null,
      imageUrl: null,
    };
    const s = await normalizeStory({
      source: eurasianet,
      teaser: hostile,
      listingTerms: { countries: [], regions: [], topics: [] },
      article: null,
      contentHtml: null,
      previous: null,
      now: "2026-01-01T00:00:00.000Z",
    });
    expect(s.item.title).toBe("Headline here");
    expect(s.item.summary).toBe("A bold dek");
    expect(s.item.authors).toEqual(["Name"]);
  });
});
