// The example filter's tests: each runs a request through filters/director.ts on the local
// runtime, which behaves like Nauthilus v1.3.9. Run them with `npx nauthilus-filters test`.
import { describe, expect, it } from "vitest";
import { assertOutcome, filterChain, server } from "nauthilus-filters-sdk/testing";

const servers = [server("imap", "10.0.0.1", 143), server("imap", "10.0.0.2", 143), server("pop3", "10.0.0.3", 110)];
const director = filterChain(["filters/director.ts"], { servers });
const login = (account: string, protocol = "imap") => ({ request: { account, protocol, authenticated: true, service: "nginx" } });

describe("director", () => {
  it("sends an account to the same server every time", async () => {
    const first = await director.run(login("alice@example.org"));
    assertOutcome(first, { outcome: "ok", error: null });
    expect((await director.run(login("alice@example.org"))).selected).toEqual(first.selected);
  });

  it("only picks servers of the login's protocol, and tells nginx which", async () => {
    for (const account of ["alice", "bob", "carol", "dave", "erin"]) {
      const outcome = await director.run(login(account));
      expect(["10.0.0.1", "10.0.0.2"]).toContain(outcome.selected?.ip);
      expect(outcome.headers.nginx).toContainEqual(["Auth-Server", outcome.selected?.ip]);
    }
  });

  it("leaves a login without an account to the password check", async () => {
    assertOutcome(await director.run(login("")), { outcome: "ok", selected: null });
  });
});
