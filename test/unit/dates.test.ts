import { describe, expect, it } from "vitest";
import { isTimeZone, parseSourceDate } from "../../src/ingest/dates";

describe("parseSourceDate", () => {
  it("reads a printed date in the source's zone (New York, daylight time in April)", () => {
    expect(parseSourceDate("Apr 18, 2018", "America/New_York")).toBe("2018-04-18T04:00:00.000Z");
    expect(parseSourceDate("April 18, 2018", "America/New_York")).toBe("2018-04-18T04:00:00.000Z");
  });
  it("applies standard time in winter", () => {
    expect(parseSourceDate("Jan 5, 2024", "America/New_York")).toBe("2024-01-05T05:00:00.000Z");
  });
  it("reads Almaty wall time and times with am/pm", () => {
    expect(parseSourceDate("Sep 23, 2024 - 10:27", "Asia/Almaty")).toBe("2024-09-23T05:27:00.000Z");
    expect(parseSourceDate("Sep 23, 2024 2:05 pm", "UTC")).toBe("2024-09-23T14:05:00.000Z");
  });
  it("keeps instants that carry their own zone", () => {
    expect(parseSourceDate("2018-04-18T10:27:00-04:00", "Asia/Almaty")).toBe("2018-04-18T14:27:00.000Z");
    expect(parseSourceDate("2024-09-24T10:00:00+0300", "UTC")).toBe("2024-09-24T07:00:00.000Z");
    expect(parseSourceDate("Tue, 24 Sep 2026 12:30:00 +0300", "UTC")).toBe("2026-09-24T09:30:00.000Z");
    expect(parseSourceDate("Wed, 18 Apr 2018 14:27:00 GMT", "Asia/Almaty")).toBe("2018-04-18T14:27:00.000Z");
  });
  it("reads ISO local times in the source zone", () => {
    expect(parseSourceDate("2024-03-31 09:00", "Europe/Vilnius")).toBe("2024-03-31T06:00:00.000Z");
    expect(parseSourceDate("2024-03-31", "UTC")).toBe("2024-03-31T00:00:00.000Z");
  });
  it("reads Russian month names", () => {
    expect(parseSourceDate("24 сентября 2026, 12:30", "Europe/Moscow")).toBe("2026-09-24T09:30:00.000Z");
  });
  it("rejects what is not a date", () => {
    expect(parseSourceDate("yesterday", "UTC")).toBeNull();
    expect(parseSourceDate("Apr 31, 2018", "UTC")).toBeNull();
    expect(parseSourceDate("", "UTC")).toBeNull();
    expect(parseSourceDate("Foo 12, 2018", "UTC")).toBeNull();
  });
  it("knows IANA zones", () => {
    expect(isTimeZone("Asia/Almaty")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });
});
