import { describe, expect, it } from "vitest";
import { isTimeZone, parseSourceDate, publishedFrom } from "../../src/ingest/dates";

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

describe("RFC 822 with Russian and Ukrainian day and month names", () => {
  it("reads them with their zone, whatever the source's zone", () => {
    expect(parseSourceDate("Ср, 25 ноя 2026 11:20:00 +0500", "America/New_York")).toBe("2026-11-25T06:20:00.000Z");
    expect(parseSourceDate("Вт, 24 ноя 2026 09:05:00 +0500", "UTC")).toBe("2026-11-24T04:05:00.000Z");
    expect(parseSourceDate("Пт, 01 мая 2026 00:30:00 +0300", "UTC")).toBe("2026-04-30T21:30:00.000Z");
    expect(parseSourceDate("Вс, 6 дек. 2026 23:59:59 GMT", "Asia/Almaty")).toBe("2026-12-06T23:59:59.000Z");
    // Ukrainian: листопад (November), травень (May), вересень (September).
    expect(parseSourceDate("Чт, 26 лис 2026 09:15:00 +0200", "UTC")).toBe("2026-11-26T07:15:00.000Z");
    expect(parseSourceDate("Нд, 10 трав 2026 18:00:00 +03:00", "UTC")).toBe("2026-05-10T15:00:00.000Z");
    expect(parseSourceDate("Пн, 7 вер 2026 08:00:00 -0100", "UTC")).toBe("2026-09-07T09:00:00.000Z");
  });

  it("reads one without a zone in the source's zone", () => {
    expect(parseSourceDate("25 ноя 2026 11:20:00", "Asia/Almaty")).toBe("2026-11-25T06:20:00.000Z");
    expect(parseSourceDate("Ср, 25 листопада 2026 11:20", "Europe/Kyiv")).toBe("2026-11-25T09:20:00.000Z");
  });

  it("refuses a month it does not know and an impossible day", () => {
    expect(parseSourceDate("Ср, 25 брюмера 2026 11:20:00 +0500", "UTC")).toBeNull();
    expect(parseSourceDate("Ср, 31 ноя 2026 11:20:00 +0500", "UTC")).toBeNull();
  });
});

describe("publishedFrom", () => {
  it("takes the first date that reads", () => {
    expect(publishedFrom([null, "not a date", "2026-11-26T14:35:00+02:00"], "UTC")).toEqual({
      iso: "2026-11-26T12:35:00.000Z",
      dayOnly: false,
    });
    expect(publishedFrom(["Thu, 26 Nov 2026 08:30:00 +0000", "2026-11-26T14:35:00+02:00"], "UTC")?.iso).toBe(
      "2026-11-26T08:30:00.000Z",
    );
    expect(publishedFrom([undefined, "soon"], "UTC")).toBeNull();
  });

  it("refines a day-only date by a later time on the same day in the source's zone", () => {
    expect(publishedFrom(["Nov 26, 2026", "2026-11-26T14:35:00+02:00"], "Europe/Chisinau")).toEqual({
      iso: "2026-11-26T12:35:00.000Z",
      dayOnly: false,
    });
    // 23:30 in Chisinau is still the 26th there (21:30 UTC): the same day.
    expect(publishedFrom(["26 ноября 2026", "2026-11-26T23:30:00+02:00"], "Europe/Chisinau")?.iso).toBe(
      "2026-11-26T21:30:00.000Z",
    );
    // Another day's time does not replace it: the page may show a later update.
    expect(publishedFrom(["Nov 26, 2026", "2026-11-28T10:00:00+02:00"], "Europe/Chisinau")).toEqual({
      iso: "2026-11-25T22:00:00.000Z",
      dayOnly: true,
    });
  });
});
