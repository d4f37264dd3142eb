// Maps protocol and port to a service class; several cases share code by falling through.
import { accept, reject } from "nauthilus-sdk";

function serviceClass(protocol: string): string[] {
  const steps: string[] = [];
  switch (protocol) {
    case "imap":
      steps.push("imap");
    // falls through
    case "pop3":
      steps.push("mailbox");
      break;
    case "submission":
    case "smtp":
      steps.push("transport");
    // falls through
    default:
      steps.push("default");
    case "lmtp":
      steps.push("delivery");
  }
  return steps;
}

function portClass(port: number): string {
  switch (true) {
    case port === 993 || port === 995:
      return "implicit-tls";
    case port < 1024:
      return "well-known";
    default:
      return "high";
  }
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  out.push(`class=${serviceClass(request.protocol).join(">")}`);
  out.push(`lmtp=${serviceClass("lmtp").join(">")}`, `other=${serviceClass("sieve").join(">")}`);
  out.push(`port=${portClass(Number(request.local_port))}`, `high=${portClass(40000)}`);
  let score = 0;
  switch (request.brute_force_counter) {
    case 0:
      score += 1;
      break;
    case 3:
      score += 10;
    case 12:
      score += 100;
      break;
  }
  out.push(`score=${score}`);
  let label: string;
  switch (request.service) {
    case "nginx": {
      const where = "proxy";
      label = where;
      break;
    }
    case "header": {
      const where = "dovecot";
      label = where;
      break;
    }
    default:
      label = "other";
  }
  out.push(`label=${label}`);
  const classes: string[] = [];
  for (const p of ["imap", "smtp", "pop3"]) {
    switch (p) {
      case "smtp":
        classes.push("T");
        break;
      default:
        classes.push("M");
    }
    classes.push(p.charAt(0));
  }
  out.push(`loop_switch=${classes.join("")}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  if (score >= 100) return reject();
  return accept();
}
