import { once } from "../lib/once";

/**
 * Reading the dates sources print. A date with a zone (ISO 8601 with offset, RFC 822) is an
 * instant already; one without (ISO local time, "Apr 18, 2018") is wall-clock time in the
 * source's IANA zone, converted to UTC with the zone's offset on that day.
 */

const MONTHS: Record<string, number> = {};
const monthNames: [number, string[]][] = [
  // English, Russian, then Ukrainian (whose feeds print "Чт, 26 лис 2026" in RFC 822 too).
  [1, ["jan", "january", "янв", "январь", "января", "січ", "січень", "січня"]],
  [2, ["feb", "february", "фев", "февр", "февраль", "февраля", "лют", "лютий", "лютого"]],
  [3, ["mar", "march", "мар", "март", "марта", "бер", "березень", "березня"]],
  [4, ["apr", "april", "апр", "апрель", "апреля", "кві", "квіт", "квітень", "квітня"]],
  [5, ["may", "май", "мая", "тра", "трав", "травень", "травня"]],
  [6, ["jun", "june", "июн", "июнь", "июня", "чер", "черв", "червень", "червня"]],
  [7, ["jul", "july", "июл", "июль", "июля", "лип", "липень", "липня"]],
  [8, ["aug", "august", "авг", "август", "августа", "сер", "серп", "серпень", "серпня"]],
  [9, ["sep", "sept", "september", "сен", "сент", "сентябрь", "сентября", "вер", "верес", "вересень", "вересня"]],
  [10, ["oct", "october", "окт", "октябрь", "октября", "жов", "жовт", "жовтень", "жовтня"]],
  [11, ["nov", "november", "ноя", "нояб", "ноябрь", "ноября", "лис", "лист", "листопад", "листопада"]],
  [12, ["dec", "december", "дек", "декабрь", "декабря", "гру", "груд", "грудень", "грудня"]],
];
for (const [n, names] of monthNames) for (const name of names) MONTHS[name] = n;

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
// "Apr 18, 2018", "April 18, 2018 - 10:27", "Apr 18 2018 10:27 am"
const monthDayYear = once(
  () => /^([\p{L}]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:\s*[-–,]?\s*(\d{1,2}):(\d{2})\s*([ap]\.?m\.?)?)?$/iu,
);
// "18 April 2018", "18 апреля 2018", "18 апреля 2018, 10:27"
const dayMonthYear = once(
  () => /^(\d{1,2})\s+([\p{L}]+)\.?,?\s+(\d{4})(?:\s*(?:г\.?)?\s*[-–,]?\s*(\d{1,2}):(\d{2}))?$/iu,
);
const RFC822 =
  /^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[A-Z]{1,5}|[+-]\d{4})$/;

// RFC 822 as feeds localized into Russian or Ukrainian write it: "Ср, 25 ноя 2026 11:20:00 +0500".
const localRfc822 = once(
  () =>
    /^(?:\p{L}{2,3}\.?,\s*)?(\d{1,2})\s+(\p{L}{3,9})\.?\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(GMT|UTC|Z|[+-]\d{2}:?\d{2})?$/iu,
);

/** Parses a source's date text to a UTC ISO string, or null when it is not a date we can read. */
export function parseSourceDate(text: string | null | undefined, timeZone: string): string | null {
  return readSourceDate(text, timeZone)?.iso ?? null;
}

/** A date read from a source: the instant, and whether the text gave only the day ("Nov 26, 2026"). */
export interface SourceDate {
  iso: string;
  dayOnly: boolean;
}

/**
 * The publication date among texts in order of trust: the first one that reads. A day-only date
 * is refined by a later text with a time on the same day in the source's zone (a feed's
 * "Nov 26, 2026" and the article page's 14:35), so the story does not sit at local midnight.
 */
export function publishedFrom(texts: (string | null | undefined)[], timeZone: string): SourceDate | null {
  const read = texts.map((t) => readSourceDate(t, timeZone));
  const first = read.find((d) => d !== null) ?? null;
  if (!first?.dayOnly) return first;
  const day = localDay(first.iso, timeZone);
  return read.find((d) => d !== null && !d.dayOnly && localDay(d.iso, timeZone) === day) ?? first;
}

function localDay(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(iso),
  );
}

/** Reads a source's date text, saying whether it gave only the day; null when it is not a date. */
export function readSourceDate(text: string | null | undefined, timeZone: string): SourceDate | null {
  if (!text) return null;
  const s = text.replace(/\s+/g, " ").trim();
  if (!s) return null;
  const withTime = (iso: string | null) => (iso === null ? null : { iso, dayOnly: false });
  const maybeDay = (iso: string | null, hour: string | undefined) =>
    iso === null ? null : { iso, dayOnly: hour === undefined };

  if (ISO_WITH_ZONE.test(s) || RFC822.test(s)) return withTime(isoOrNull(Date.parse(normalizeOffset(s))));

  let m = localRfc822().exec(s);
  if (m && MONTHS[m[2]!.toLowerCase()]) {
    const month = MONTHS[m[2]!.toLowerCase()]!;
    const [day, year, hour, minute, second] = [+m[1]!, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0)];
    const zone = m[7];
    if (!zone) return withTime(zoned(timeZone, year, month, day, hour, minute, second));
    const wall = zoned("UTC", year, month, day, hour, minute, second);
    if (wall === null) return null;
    const offset = /^[+-]/.test(zone) ? zoneOffsetMs(zone) : 0;
    return withTime(new Date(Date.parse(wall) - offset).toISOString());
  }

  m = ISO_LOCAL.exec(s);
  if (m) return maybeDay(zoned(timeZone, +m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)), m[4]);

  m = monthDayYear().exec(s);
  if (m) {
    const month = MONTHS[m[1]!.toLowerCase()];
    if (month) return maybeDay(zoned(timeZone, +m[3]!, month, +m[2]!, hour12(m[4], m[6]), +(m[5] ?? 0), 0), m[4]);
  }

  m = dayMonthYear().exec(s);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    if (month) return maybeDay(zoned(timeZone, +m[3]!, month, +m[1]!, +(m[4] ?? 0), +(m[5] ?? 0), 0), m[4]);
  }
  return null;
}

/** "+0500" or "+05:00" → milliseconds east of UTC. */
function zoneOffsetMs(zone: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  return (m[1] === "-" ? -1 : 1) * (+m[2]! * 60 + +m[3]!) * 60_000;
}

function hour12(hour: string | undefined, meridiem: string | undefined): number {
  if (hour === undefined) return 0;
  const h = +hour;
  if (!meridiem) return h;
  const pm = meridiem.toLowerCase().startsWith("p");
  return (h % 12) + (pm ? 12 : 0);
}

// Date.parse accepts "+0300" in RFC 822 but not in ISO strings; make ISO offsets "+03:00".
function normalizeOffset(s: string): string {
  return /^\d{4}-/.test(s) ? s.replace(" ", "T").replace(/([+-]\d{2})(\d{2})$/, "$1:$2") : s;
}

function isoOrNull(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** Wall-clock time in an IANA zone → UTC ISO string (null for impossible dates). */
export function zoned(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(asUtc).getUTCDate() !== day) return null; // 31 April and the like
  // The zone's offset at the guessed instant, then once more at the corrected one (DST edges).
  let utc = asUtc - offsetMs(timeZone, asUtc);
  utc = asUtc - offsetMs(timeZone, utc);
  return new Date(utc).toISOString();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` from UTC at instant `utcMs`, in milliseconds. */
function offsetMs(timeZone: string, utcMs: number): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(utcMs))) if (p.type !== "literal") parts[p.type] = +p.value;
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** True when the name is an IANA zone this runtime knows (used to validate source config). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
