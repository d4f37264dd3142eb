// Service tiers and protocols as enums: the tier decides the weight of the login in the logs.
import { accept } from "nauthilus-sdk";

enum Tier {
  Basic,
  Pro = 5,
  Enterprise,
}

enum Proto {
  Imap = "imap",
  Pop3 = "pop3",
  Submission = "submission",
}

const enum Weight {
  Low = 1,
  High = 10,
}

function tierFor(account: string): Tier {
  if (account === "") return Tier.Basic;
  return account.length > 21 ? Tier.Enterprise : Tier.Pro;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const tier = tierFor(request.account);
  out.push(`tier=${tier}`, `tier_name=${Tier[tier]}`, `enterprise=${Tier.Enterprise}`);
  out.push(`keys=${Object.keys(Tier).join(",")}`);
  out.push(`numeric=${Object.values(Tier).filter((v) => typeof v === "number").join(",")}`);
  out.push(`names=${Object.keys(Tier).filter((k) => isNaN(Number(k))).join(",")}`);
  const proto = Object.values(Proto).find((p) => p === request.protocol);
  out.push(`proto=${proto ?? "other"}`, `proto_keys=${Object.keys(Proto).join(",")}`);
  let weight: number = Weight.Low;
  switch (request.protocol as Proto) {
    case Proto.Imap:
      weight = Weight.High;
      break;
    case Proto.Pop3:
      weight = Weight.Low * 3;
      break;
    default:
      weight = Weight.Low;
  }
  out.push(`weight=${weight}`, `is_pro=${tier >= Tier.Pro}`, `pro=${String(Tier.Pro)}`, `missing=${Tier[3]}`);
  out.push(`tier_type=${typeof Tier}`, `member_type=${typeof Tier.Basic}`);
  nauthilus_builtin.custom_log_add("tier", Tier[tier]);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
