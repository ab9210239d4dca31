/**
 * HTML character references. HTMLRewriter hands text chunks and attribute values over exactly as
 * they appear in the source, so `&amp;` is still `&amp;`: plain-text fields must be decoded here,
 * while HTML we re-emit keeps its references and only needs `<`, `>` and `"` escaped.
 */

/** Latin-1 names for U+00A0..U+00FF, in code point order (the HTML 4 set every page uses). */
const LATIN1 =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest " +
  "Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig " +
  "agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml";

/** Other common names: markup, typography, Latin Extended letters, arrows, and the HTML5 names
 * for punctuation (`&colon;`, `&Tab;`, `&NewLine;`) that are used to disguise URL schemes. */
const OTHER: Record<string, number> = {
  quot: 0x22,
  amp: 0x26,
  apos: 0x27,
  lt: 0x3c,
  gt: 0x3e,
  Tab: 0x09,
  NewLine: 0x0a,
  excl: 0x21,
  num: 0x23,
  dollar: 0x24,
  percnt: 0x25,
  lpar: 0x28,
  rpar: 0x29,
  ast: 0x2a,
  plus: 0x2b,
  comma: 0x2c,
  period: 0x2e,
  sol: 0x2f,
  colon: 0x3a,
  semi: 0x3b,
  equals: 0x3d,
  quest: 0x3f,
  commat: 0x40,
  lsqb: 0x5b,
  bsol: 0x5c,
  rsqb: 0x5d,
  Hat: 0x5e,
  lowbar: 0x5f,
  grave: 0x60,
  lcub: 0x7b,
  verbar: 0x7c,
  vert: 0x7c,
  rcub: 0x7d,
  OElig: 0x152,
  oelig: 0x153,
  Scaron: 0x160,
  scaron: 0x161,
  Yuml: 0x178,
  fnof: 0x192,
  circ: 0x2c6,
  tilde: 0x2dc,
  Zcaron: 0x17d,
  zcaron: 0x17e,
  Ccaron: 0x10c,
  ccaron: 0x10d,
  Ecaron: 0x11a,
  ecaron: 0x11b,
  Rcaron: 0x158,
  rcaron: 0x159,
  Lstrok: 0x141,
  lstrok: 0x142,
  Sacute: 0x15a,
  sacute: 0x15b,
  Zacute: 0x179,
  zacute: 0x17a,
  Zdot: 0x17b,
  zdot: 0x17c,
  Aogon: 0x104,
  aogon: 0x105,
  Eogon: 0x118,
  eogon: 0x119,
  Iogon: 0x12e,
  iogon: 0x12f,
  Uogon: 0x172,
  uogon: 0x173,
  Edot: 0x116,
  edot: 0x117,
  Umacr: 0x16a,
  umacr: 0x16b,
  Gbreve: 0x11e,
  gbreve: 0x11f,
  Idot: 0x130,
  imath: 0x131,
  Scedil: 0x15e,
  scedil: 0x15f,
  Nacute: 0x143,
  nacute: 0x144,
  Cacute: 0x106,
  cacute: 0x107,
  ensp: 0x2002,
  emsp: 0x2003,
  thinsp: 0x2009,
  hairsp: 0x200a,
  zwnj: 0x200c,
  zwj: 0x200d,
  lrm: 0x200e,
  rlm: 0x200f,
  hyphen: 0x2010,
  ndash: 0x2013,
  mdash: 0x2014,
  horbar: 0x2015,
  lsquo: 0x2018,
  rsquo: 0x2019,
  sbquo: 0x201a,
  ldquo: 0x201c,
  rdquo: 0x201d,
  bdquo: 0x201e,
  dagger: 0x2020,
  Dagger: 0x2021,
  bull: 0x2022,
  hellip: 0x2026,
  permil: 0x2030,
  prime: 0x2032,
  Prime: 0x2033,
  lsaquo: 0x2039,
  rsaquo: 0x203a,
  oline: 0x203e,
  frasl: 0x2044,
  euro: 0x20ac,
  trade: 0x2122,
  numero: 0x2116,
  larr: 0x2190,
  uarr: 0x2191,
  rarr: 0x2192,
  darr: 0x2193,
  harr: 0x2194,
  minus: 0x2212,
  infin: 0x221e,
  ne: 0x2260,
  le: 0x2264,
  ge: 0x2265,
  asymp: 0x2248,
  Alpha: 0x391,
  Beta: 0x392,
  Gamma: 0x393,
  Delta: 0x394,
  Omega: 0x3a9,
  alpha: 0x3b1,
  beta: 0x3b2,
  gamma: 0x3b3,
  delta: 0x3b4,
  epsilon: 0x3b5,
  lambda: 0x3bb,
  mu: 0x3bc,
  pi: 0x3c0,
  sigma: 0x3c3,
  omega: 0x3c9,
};

// Built by the first decode rather than at module load, which every cold start pays.
let named: Map<string, string> | null = null;
function namedReferences(): Map<string, string> {
  if (!named) {
    named = new Map<string, string>();
    for (const [i, name] of LATIN1.split(" ").entries()) named.set(name, String.fromCodePoint(0xa0 + i));
    for (const [name, code] of Object.entries(OTHER)) named.set(name, String.fromCodePoint(code));
  }
  return named;
}

/** Names browsers also accept without the trailing semicolon (legacy), limited to the usual ones. */
const LEGACY_NO_SEMICOLON = new Set(["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"]);

/** Windows-1252 meanings browsers give to numeric references in 0x80..0x9F. */
const C1_REMAP: Record<number, number> = {
  128: 0x20ac,
  130: 0x201a,
  131: 0x192,
  132: 0x201e,
  133: 0x2026,
  134: 0x2020,
  135: 0x2021,
  136: 0x2c6,
  137: 0x2030,
  138: 0x160,
  139: 0x2039,
  140: 0x152,
  142: 0x17d,
  145: 0x2018,
  146: 0x2019,
  147: 0x201c,
  148: 0x201d,
  149: 0x2022,
  150: 0x2013,
  151: 0x2014,
  152: 0x2dc,
  153: 0x2122,
  154: 0x161,
  155: 0x203a,
  156: 0x153,
  158: 0x17e,
  159: 0x178,
};

function fromCodePoint(code: number): string {
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\uFFFD";
  return String.fromCodePoint(C1_REMAP[code] ?? code);
}

// Numeric references may omit the semicolon and carry leading zeros (`&#0000106`), as browsers
// accept both; named ones are matched longest-first by the regex and checked against the table.
const REFERENCE = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{0,31}));?/g;

/** Decodes numeric and common named character references; unknown names are left as they are. */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(
    REFERENCE,
    (match, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
      if (dec !== undefined) return fromCodePoint(parseInt(dec, 10));
      if (hex !== undefined) return fromCodePoint(parseInt(hex, 16));
      const hasSemicolon = match.endsWith(";");
      const char = namedReferences().get(name!);
      if (char !== undefined && (hasSemicolon || LEGACY_NO_SEMICOLON.has(name!))) return char;
      return match;
    },
  );
}

/** Escapes plain text for a double-quoted attribute value. */
export function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Makes a raw source text chunk safe to re-emit: its references stay as written (they can only
 * ever produce text), but `<` and `>` are escaped so that text from around an element we drop
 * or unwrap can never join up into a new tag.
 */
export function escapeRawText(raw: string): string {
  return raw.replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Makes a raw attribute value safe inside double quotes, keeping its references as written. */
export function escapeRawAttribute(raw: string): string {
  return raw.replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Decodes references and collapses runs of whitespace (including no-break spaces) to one space. */
export function cleanText(raw: string): string {
  return decodeEntities(raw).replace(/\s+/g, " ").trim();
}
