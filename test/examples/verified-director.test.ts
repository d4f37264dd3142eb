// filters-ts/verified-director.ts with declared probe answers (no network): the start server by
// the account's hash, then the next ones while probes fail, at most three.
import { describe, expect, it } from "vitest";
import { assertOutcome, filterChain, server } from "../../runtime/testing";

const servers = [server("imap", "10.0.0.1", 143), server("imap", "10.0.0.2", 143), server("imap", "10.0.0.3", 143), server("imap", "10.0.0.4", 143)];
const chain = filterChain(["filters-ts/verified-director.ts"], { servers, request: { protocol: "imap", authenticated: true, service: "nginx" } });

function start(account: string): number {
  let sum = 0;
  for (const byte of Buffer.from(account)) sum = (sum * 31 + byte) % 1000003;
  return sum % servers.length;
}

describe("verified-director", () => {
  it("selects the start server when its probe succeeds", async () => {
    const s = servers[start("alice")];
    assertOutcome(await chain.run({ request: { account: "alice" } }), { outcome: "ok", selected: { ip: s.ip, port: s.port } });
  });

  it("skips servers whose probe fails, logging production's error text", async () => {
    const first = servers[start("alice")];
    const second = servers[(start("alice") + 1) % servers.length];
    const outcome = await chain.run({ request: { account: "alice" }, probes: { [`${first.ip}:143`]: "refused" } });
    assertOutcome(outcome, { outcome: "ok", selected: { ip: second.ip, port: 143 } });
    expect(outcome.logs[0]).toEqual(["probe_failed_1", `dial tcp ${first.ip}:143: connect: connection refused`]);
  });

  it("rejects with a status message after three failed probes", async () => {
    const probes = Object.fromEntries(servers.map((s) => [`${s.ip}:143`, "timeout"]));
    const outcome = await chain.run({ request: { account: "alice" }, probes });
    expect(outcome.outcome).toBe("fail");
    expect(outcome.logs.map(([k]) => k)).toEqual(["probe_failed_1", "probe_failed_2", "probe_failed_3"]);
    expect(outcome.status_message).not.toBeNull();
  });
});
