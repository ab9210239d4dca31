import { describe, expect, it } from "vitest";
import { BOILERPLATE_RULES, stripBoilerplate } from "../../src/ingest/boilerplate";

describe("summary boilerplate", () => {
  // Summaries as they reach the rules: tags gone, entities decoded (seen on WordPress sites).
  const cases: [string, string, string][] = [
    [
      "wordpress-appeared-first",
      "Hazelnut growers blocked the Zugdidi highway. The post Georgian farmers protest as hazelnut prices collapse appeared first on OC Media.",
      "Hazelnut growers blocked the Zugdidi highway.",
    ],
    [
      "wordpress-appeared-first",
      "Talks resume in Geneva. The post Talks resume first appeared on Civil.ge",
      "Talks resume in Geneva.",
    ],
    [
      "yoast-post-from",
      "Gas prices rise again. Gas prices in Yerevan is a post from: JAMnews",
      "Gas prices rise again.",
    ],
    [
      "continue-reading",
      "The court ruled on Tuesday. Continue reading “Court rules on the land case” →",
      "The court ruled on Tuesday.",
    ],
    ["continue-reading", "The court ruled on Tuesday. Continue reading…", "The court ruled on Tuesday."],
    ["read-more", "Protests continued into the night. Read more »", "Protests continued into the night."],
    ["read-more", "Protests continued into the night. Read More at Eurasianet", "Protests continued into the night."],
    ["read-more", "Protests continued. Read the full story", "Protests continued."],
    ["view-entire-post", "The bridge reopened. View Entire Post ›", "The bridge reopened."],
    [
      "excerpt-marker",
      "Buyers now offer less than it costs to harvest […]",
      "Buyers now offer less than it costs to harvest…",
    ],
    ["excerpt-marker", "Buyers now offer less. [...]", "Buyers now offer less."],
  ];

  it("removes each kind of trailing boilerplate", () => {
    for (const [rule, input, expected] of cases) {
      expect(
        BOILERPLATE_RULES.some((r) => r.name === rule && r.pattern.test(input)),
        rule,
      ).toBe(true);
      expect(stripBoilerplate(input), input).toBe(expected);
    }
  });

  it("removes stacked lines: an excerpt marker, a continue link and the footer", () => {
    expect(
      stripBoilerplate(
        "Rolling blackouts are back in Sukhumi [...] Continue reading → The post Abkhazia’s power cuts appeared first on OC Media.",
      ),
    ).toBe("Rolling blackouts are back in Sukhumi…");
  });

  it("keeps the same words when a story itself uses them", () => {
    for (const text of [
      "The post of ambassador appeared first on a list of vacancies, officials said, and was filled in May.",
      "Students who read more than ten books a year did better, the study found.",
      "She urged readers to continue reading independent media despite the ban.",
      "The post office in Gyumri reopened.",
      "A list of [...] items was redacted in the court papers.",
    ]) {
      expect(stripBoilerplate(text), text).toBe(text);
    }
  });

  it("leaves nothing when the summary was only boilerplate", () => {
    expect(stripBoilerplate("The post Hazelnut prices appeared first on OC Media.")).toBe("");
    expect(stripBoilerplate("Read more")).toBe("");
  });
});
