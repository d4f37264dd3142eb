// filters-ts/hostip.ts: the first live IMAP backend as the attribute hostip (X-Nauthilus-Hostip on
// the header endpoint), the backend's Proxy-Host removed; nothing for users the backend did not find.
import { describe, expect, it } from "vitest";
import { assertOutcome, filterChain, server } from "../../runtime/testing";

const chain = filterChain(["filters-ts/hostip.ts"], {
  servers: [server("pop3", "10.0.0.9", 110), server("imap", "10.0.0.5", 143), server("imap", "10.0.0.6", 143)],
  attributes: { "Proxy-Host": ["10.1.1.1"], mail: ["alice@example.org"] },
  request: { account: "alice", username: "alice", protocol: "imap", authenticated: true, user_found: true, service: "header" },
});

describe("hostip", () => {
  it("applies the first IMAP backend as hostip and removes Proxy-Host", async () => {
    const outcome = await chain.run();
    assertOutcome(outcome, { outcome: "ok", removed: ["Proxy-Host"], attributes: { hostip: ["10.0.0.5"], mail: ["alice@example.org"] } });
    expect(outcome.attributes).not.toHaveProperty("Proxy-Host");
    expect(outcome.headers.header).toContainEqual(["X-Nauthilus-Hostip", "10.0.0.5"]);
  });

  it("leaves an unknown user alone (production would answer HTTP 500 adding to no attribute map)", async () => {
    const outcome = await chain.run({ request: { user_found: false, authenticated: false }, attributes: null });
    assertOutcome(outcome, { outcome: "fail", error: null, removed: [] });
  });
});
