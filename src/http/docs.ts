import { API_DOCS_CSS, renderApiDocs } from "../render/api-docs";
import { openApiDocument } from "./openapi";

export interface StaticPage {
  body: string;
  headers: Record<string, string>;
}

let docs: Promise<StaticPage> | null = null;
let openapi: StaticPage | null = null;

/**
 * GET /docs: the reference page. Its only active content is one stylesheet, allowed by its hash,
 * so nothing else could run or load even if a description carried markup through escaping.
 */
export function docsPage(): Promise<StaticPage> {
  docs ??= (async () => ({
    body: renderApiDocs(openApiDocument()),
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": `default-src 'none'; style-src '${await sha256Base64(API_DOCS_CSS)}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    },
  }))();
  // A failed render is not kept: the next request tries again.
  docs.catch(() => (docs = null));
  return docs;
}

/** GET /openapi.json: the document as npm run schemas writes it (same bytes as schemas/openapi.json). */
export async function openApiPage(): Promise<StaticPage> {
  openapi ??= {
    body: `${JSON.stringify(openApiDocument(), null, 2)}\n`,
    headers: { "content-type": "application/json; charset=utf-8" },
  };
  return openapi;
}

async function sha256Base64(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}`;
}
