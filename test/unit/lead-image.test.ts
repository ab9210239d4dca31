import { describe, expect, it } from "vitest";
import { leadImageOf } from "../../src/ingest/lead-image";

describe("leadImageOf", () => {
  it("takes the first image with its figure's caption", async () => {
    expect(
      await leadImageOf(
        '<p>Intro</p><figure><img src="https://ex.org/a.jpg" alt=""><figcaption>A test run &amp; <em>more</em>.</figcaption></figure><p><img src="https://ex.org/b.jpg"></p>',
      ),
    ).toEqual({ url: "https://ex.org/a.jpg", caption: "A test run & more." });
  });

  it("gives no caption for an image outside a figure, or another figure's caption", async () => {
    expect(
      await leadImageOf(
        '<p><img src="https://ex.org/a.jpg"></p><figure><img src="https://ex.org/b.jpg"><figcaption>B</figcaption></figure>',
      ),
    ).toEqual({ url: "https://ex.org/a.jpg", caption: null });
    expect(
      await leadImageOf(
        '<figure><figcaption>Chart</figcaption></figure><figure><img src="http://ex.org/c.png"></figure>',
      ),
    ).toEqual({ url: "http://ex.org/c.png", caption: null });
  });

  it("skips images that are not http(s) and bodies without one", async () => {
    expect(await leadImageOf('<img src="data:image/png;base64,AAA"><img src="/rel.jpg">')).toBeNull();
    expect(await leadImageOf("<p>No pictures</p>")).toBeNull();
    expect(await leadImageOf(null)).toBeNull();
  });
});
