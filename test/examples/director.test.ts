// filters-ts/director.ts, tested the way a user tests a filter: nauthilus-filters-sdk/testing.
// The expected choice is computed here in JavaScript (djb2 over the sorted list), independently.
import { describe, expect, it } from "vitest";
import { assertOutcome, filterChain, server } from "../../runtime/testing";

const servers = [server("imap", "10.0.0.3", 143), server("pop3", "10.0.0.1", 110), server("imap", "10.0.0.2", 993), server("imap", "10.0.0.1", 143)];
const director = filterChain(["filters-ts/director.ts"], { servers });
const login = (account: string, protocol = "imap") => ({ request: { account, protocol, authenticated: true, service: "nginx" } });

function expected(account: string): { ip: string; port: number } {
  const imap = servers.filter((s) => s.protocol === "imap").sort((a, b) => (a.ip !== b.ip ? (a.ip < b.ip ? -1 : 1) : a.port - b.port));
  let h = 5381;
  for (const byte of Buffer.from(account)) h = (h * 33 + byte) % 4294967296;
  const s = imap[h % imap.length];
  return { ip: s.ip, port: s.port };
}

describe("director", () => {
  const accounts = Array.from({ length: 50 }, (_, i) => `user${i}@example.org`);
  it.each(accounts)("%s goes where djb2 over the sorted IMAP servers says, and nginx is told", async (account) => {
    const outcome = await director.run(login(account));
    const want = expected(account);
    assertOutcome(outcome, { outcome: "ok", error: null, selected: want });
    expect(outcome.headers.nginx).toEqual(expect.arrayContaining([["Auth-Server", want.ip], ["Auth-Port", String(want.port)]]));
    expect(outcome.logs).toEqual([["director_backend", `${want.ip}:${want.port}`]]);
  });

  it("a login without an account is left to the password check", async () => {
    assertOutcome(await director.run(login("")), { outcome: "ok", selected: null, logs: [] });
  });

  it("no server of the login's protocol: no selection", async () => {
    assertOutcome(await director.run(login("alice", "sieve")), { outcome: "ok", selected: null });
  });
});
