/**
 * String helpers for the XML feed renderers (RSS 2.0 and Atom 1.0).
 *
 * Short values (titles, names, URLs, summaries) are written as escaped text. The article HTML,
 * which is most of every feed's bytes, goes into a CDATA section instead: escaping HTML means a
 * replacement at every tag, quote and entity (a 5 KB article has hundreds), which made escaped
 * rendering several times slower than it is now (the render figures of `npm run bench`). CDATA
 * needs only "]]>" split, which HTML almost never contains, so the common case is a scan for
 * illegal characters and one concatenation.
 */

/*
 * XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
 * Anything else (C0 controls other than TAB/LF/CR, lone surrogates, U+FFFE, U+FFFF) makes a
 * document ill-formed even when written as a character reference, so it is dropped, in CDATA too.
 *
 * Finding out whether a string has any is the one cost every byte of content pays, so it is split
 * into checks V8 runs fast (a single class covering the surrogate range was an order of
 * magnitude slower on Cyrillic HTML): a small class for the controls, the
 * built-in isWellFormed for lone surrogates, and two substring searches. Only a string that fails
 * pays for ILLEGAL, whose `u` flag treats a surrogate pair as one code point and so removes lone
 * surrogates only.
 */
const FORBIDDEN_CONTROL = /[\0-\x08\x0B\x0C\x0E-\x1F]/;
const ILLEGAL = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function hasIllegalChars(value: string): boolean {
  return FORBIDDEN_CONTROL.test(value) || !value.isWellFormed() || value.includes("\uFFFE") || value.includes("\uFFFF");
}

/** The string without the characters XML 1.0 forbids; usually the same string, untouched. */
export function xmlChars(value: string): string {
  return hasIllegalChars(value) ? value.replace(ILLEGAL, "") : value;
}

/*
 * Text content needs only & < > escaped ('>' because "]]>" is forbidden in text). Attribute values
 * are always written in double quotes, but ' is escaped too so a value is safe in either quoting.
 * TAB/LF/CR stay literal: in text a parser keeps them (CR LF becomes LF, XML 1.0 §2.11).
 */
const TEXT_SPECIALS = /[&<>]/g;
const ATTRIBUTE_SPECIALS = /[&<>"']/g;

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

function entityFor(special: string): string {
  return ENTITIES[special] ?? special;
}

/** A string as XML character data: escaped, with characters XML 1.0 forbids removed. */
export function escapeText(value: string): string {
  return xmlChars(value).replace(TEXT_SPECIALS, entityFor);
}

/** A string as the inside of a double-quoted XML attribute value. */
export function escapeAttribute(value: string): string {
  return xmlChars(value).replace(ATTRIBUTE_SPECIALS, entityFor);
}

const DOUBLE_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;amp;",
  "<": "&amp;lt;",
  ">": "&amp;gt;",
};

function doubleEntityFor(special: string): string {
  return DOUBLE_ENTITIES[special] ?? special;
}

/**
 * Plain text for an element whose content readers treat as HTML (RSS <description>): escaped for
 * HTML and then for XML in one pass, so "R&D <x>" reaches the reader's HTML as "R&amp;D &lt;x&gt;"
 * and is shown literally.
 */
export function escapePlainTextAsHtml(value: string): string {
  return xmlChars(value).replace(TEXT_SPECIALS, doubleEntityFor);
}

/**
 * A string as one or more CDATA sections. "]]>" would end the section, so each one is split
 * across two sections ("]]" ends the first, ">" starts the next); parsers join adjacent sections
 * and text, so readers get the original string back.
 */
export function cdata(value: string): string {
  const chars = xmlChars(value);
  const body = chars.includes("]]>") ? chars.replaceAll("]]>", "]]]]><![CDATA[>") : chars;
  return `<![CDATA[${body}]]>`;
}

/** `<name>text</name>` with the text escaped; name is a literal from the renderer, never data. */
export function textElement(name: string, text: string): string {
  return `<${name}>${escapeText(text)}</${name}>`;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/** The start of every XML feed: the declaration, then the stylesheet instruction if any. */
export function xmlProlog(stylesheetUrl: string | null): string[] {
  return stylesheetUrl === null ? [XML_DECLARATION] : [XML_DECLARATION, stylesheetInstruction(stylesheetUrl)];
}

/**
 * The xml-stylesheet processing instruction that makes browsers show the feed through an XSLT.
 * Its pseudo-attributes follow attribute escaping rules; escaping '>' also guarantees the
 * value can never close the instruction with "?>".
 */
export function stylesheetInstruction(href: string): string {
  return `<?xml-stylesheet type="text/xsl" href="${escapeAttribute(href)}"?>`;
}

/**
 * An image as Media RSS (xmlns:media="http://search.yahoo.com/mrss/"), used by RSS and Atom alike.
 * Unlike RSS <enclosure> it needs no byte length or MIME type, neither of which we know.
 */
export function mediaImage(url: string, caption: string | null): string {
  const description =
    caption === null ? "" : `<media:description type="plain">${escapeText(caption)}</media:description>`;
  return `<media:content url="${escapeAttribute(url)}" medium="image">${description}</media:content>`;
}
