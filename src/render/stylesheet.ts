/**
 * XSLT 1.0 that browsers apply to Caravan's RSS and Atom feeds (via the xml-stylesheet
 * processing instruction), so a person who opens a feed URL sees a readable page that says
 * how to subscribe, while feed readers ignore it and read the same bytes. Item HTML is not
 * rendered here (disable-output-escaping is not portable); titles, dates and summaries are.
 */
export const FEED_STYLESHEET = `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <xsl:variable name="self" select="rss/channel/atom:link[@rel='self']/@href | atom:feed/atom:link[@rel='self']/@href"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <style>
          body{font-family:system-ui,sans-serif;max-width:50rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1b1b1b}
          .note{background:#fff7d6;border:1px solid #e6d48a;padding:.75rem 1rem;border-radius:.25rem}
          code{background:#f3f3f3;padding:0 .25em;word-break:break-all}
          li{margin:1rem 0}
          .meta{color:#555;font-size:.9em}
        </style>
      </head>
      <body>
        <header>
          <p class="note"><strong>This is a news feed.</strong> Copy its address into a feed reader
          (Miniflux, FreshRSS, NetNewsWire, newsboat, Feedly…) to follow it:
          <code><xsl:value-of select="$self"/></code>. <a href="/">All Caravan feeds</a>.</p>
          <h1><xsl:value-of select="$title"/></h1>
          <p><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
        </header>
        <main>
          <ol>
            <xsl:for-each select="rss/channel/item">
              <li>
                <a href="{link}"><xsl:value-of select="title"/></a>
                <div class="meta"><xsl:value-of select="pubDate"/>
                  <xsl:for-each select="dc:creator"> · <xsl:value-of select="."/></xsl:for-each></div>
              </li>
            </xsl:for-each>
            <xsl:for-each select="atom:feed/atom:entry">
              <li>
                <a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
                <div class="meta"><xsl:value-of select="substring(atom:published, 1, 10)"/>
                  <xsl:for-each select="atom:author/atom:name"> · <xsl:value-of select="."/></xsl:for-each></div>
                <p><xsl:value-of select="atom:summary"/></p>
              </li>
            </xsl:for-each>
          </ol>
          <xsl:for-each select="rss/channel/atom:link[@rel='next'] | atom:feed/atom:link[@rel='next']">
            <p><a href="{@href}">Older stories</a></p>
          </xsl:for-each>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
`;
