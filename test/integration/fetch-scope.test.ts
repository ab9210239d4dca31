/**
 * Where the Worker may fetch: never loopback unless ALLOW_LOOPBACK_FETCH allows it, never
 * private or metadata addresses, and no redirect to another host.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { SubrequestBudget } from "../../src/ingest/fetch/budget";
import { FetchError, politeFetch } from "../../src/ingest/fetch/http";
import { faultPage, fixtureRequests, resetFixture } from "../helpers/fixture";

const sites = inject("fixtureOrigins");
const SITE = sites["wp-home"]!;
const OTHER = sites["reader-export"]!;
const options = { userAgent: "Caravan/test", timeoutMs: 5000, maxBytes: 1_000_000 };

async function failure(url: string, allowLoopback: boolean): Promise<FetchError> {
  try {
    await politeFetch(url, new SubrequestBudget(5), { ...options, allowLoopback });
  } catch (err) {
    if (err instanceof FetchError) return err;
    throw err;
  }
  throw new Error(`${url} was fetched`);
}

describe("fetch scope", () => {
  beforeAll(async () => {
    await resetFixture(SITE);
    await resetFixture(OTHER);
  });

  it("refuses loopback without the setting, before any request is made", async () => {
    const err = await failure(`${SITE}/feed/`, false);
    expect(err.code).toBe("refused");
    expect(err.message).toContain("loopback");
    expect(await fixtureRequests(SITE)).toEqual([]);
    const ok = await politeFetch(`${SITE}/feed/`, new SubrequestBudget(5), { ...options, allowLoopback: true });
    expect(ok.kind).toBe("ok");
  });

  it("refuses private and metadata addresses even with loopback allowed", async () => {
    for (const url of ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/feed", "http://[fd00::1]/"]) {
      expect((await failure(url, true)).code, url).toBe("refused");
    }
  });

  it("does not follow a redirect to another host", async () => {
    await faultPage("/moved", { status: 302, location: `${OTHER}/kutaisi-post/feed/` }, SITE);
    const err = await failure(`${SITE}/moved`, true);
    expect(err.code).toBe("redirect");
    expect(err.message).toContain("another host");
    expect((await fixtureRequests(OTHER)).map((r) => r.path)).not.toContain("/kutaisi-post/feed/");
    // On the same host it is followed.
    await faultPage("/moved-here", { status: 301, location: "/feed/" }, SITE);
    const ok = await politeFetch(`${SITE}/moved-here`, new SubrequestBudget(5), { ...options, allowLoopback: true });
    expect(ok.kind === "ok" && ok.url).toBe(`${SITE}/feed/`);
  });
});
