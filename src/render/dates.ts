/**
 * Date formats the feed specifications require. Input is always one of the ISO 8601 UTC strings
 * the Item model stores ("2018-04-18T14:27:00Z", seconds required, any fraction, always "Z");
 * nothing here reads the clock.
 *
 * The strings are rearranged rather than going through Date: toUTCString/toISOString cost about
 * half a microsecond each in workerd, and a feed of 50 items formats 50 to 100 dates per render.
 */

const ISO_UTC = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.(\d+))?Z$/;

const DAY_MS = 86_400_000;
const WEEKDAYS = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]; // 1970-01-01 was a Thursday
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

interface DateParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
  /** Fraction digits without trailing zeros; "" for whole seconds. */
  fraction: string;
  /** Midnight UTC of the day, in ms since the epoch. */
  dayStart: number;
}

function parse(iso: string): DateParts {
  const match = ISO_UTC.exec(iso);
  if (match === null) throw new RangeError(`not an ISO 8601 UTC date-time: ${JSON.stringify(iso)}`);
  const [, year = "", month = "", day = "", hour = "", minute = "", second = "", fraction = ""] = match;
  const y = Number(year);
  const m = Number(month) - 1;
  const dayStart = Date.UTC(y, m, Number(day));
  // Date.UTC rolls 30 February over into March; a day past the month's end is not a date.
  if (dayStart >= Date.UTC(y, m + 1, 1)) throw new RangeError(`no such day: ${JSON.stringify(iso)}`);
  const significant = fraction === "" ? "" : fraction.replace(/0+$/, "");
  return { year, month, day, hour, minute, second, fraction: significant, dayStart };
}

/**
 * RFC 822 (as updated by RFC 1123: four-digit year) in GMT, the form RSS 2.0 asks for:
 * "Wed, 18 Apr 2018 14:27:00 GMT", the same shape as Date.prototype.toUTCString. RFC 822 has no
 * fractional seconds, so they are dropped.
 */
export function rfc822(iso: string): string {
  const p = parse(iso);
  const daysSinceEpoch = Math.floor(p.dayStart / DAY_MS);
  const weekday = WEEKDAYS[((daysSinceEpoch % 7) + 7) % 7];
  const month = MONTHS[Number(p.month) - 1];
  return `${weekday}, ${p.day} ${month} ${p.year} ${p.hour}:${p.minute}:${p.second} GMT`;
}

const CANONICAL_WHOLE_SECOND =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.000Z$/;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// 30 February passes the pattern; Date.UTC would roll it into March. Plain arithmetic rather than
// a Date: building one per date was about a twentieth of a JSON Feed render.
function validDay(iso: string): boolean {
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const last = month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
  return Number(iso.slice(8, 10)) <= last;
}

/**
 * RFC 3339 in UTC for Atom and JSON Feed: "2018-04-18T14:27:00Z". A fraction is kept only when it
 * is not zero (RFC 3339 allows fractional seconds; most stored dates have none).
 */
export function rfc3339(iso: string): string {
  // Stored dates are toISOString() output ("2018-04-18T14:27:00.000Z"): the common case needs
  // only its zero milliseconds dropped, not the full parse (a measurable share of Atom renders).
  if (CANONICAL_WHOLE_SECOND.test(iso) && validDay(iso)) return [iso.slice(0, 19), "Z"].join("");
  const p = parse(iso);
  const fraction = p.fraction === "" ? "" : `.${p.fraction}`;
  // join, not a template literal: it returns a flat string, which keeps JSON.stringify on its fast
  // path (see itemIdentifier in common.ts).
  return [p.year, "-", p.month, "-", p.day, "T", p.hour, ":", p.minute, ":", p.second, fraction, "Z"].join("");
}
