// Routing rules as a small class hierarchy: the first rule that matches names the pool.
import { accept } from "nauthilus-sdk";

abstract class Rule {
  static registered = 0;
  protected hits = 0;

  constructor(readonly name: string) {
    Rule.registered++;
  }

  abstract matches(request: FilterRequest): boolean;

  check(request: FilterRequest): boolean {
    const ok = this.matches(request);
    if (ok) this.hits++;
    return ok;
  }

  describe(): string {
    return `${this.name}(${this.hits})`;
  }

  get kind(): string {
    return "rule";
  }
}

class PortRule extends Rule {
  constructor(private readonly ports: number[]) {
    super("port");
  }
  matches(request: FilterRequest): boolean {
    return this.ports.includes(Number(request.local_port));
  }
  override describe(): string {
    return `${super.describe()}[${this.ports.join("/")}]`;
  }
  override get kind(): string {
    return "port-" + super.kind;
  }
}

class DomainRule extends Rule {
  constructor(private readonly domain: string) {
    super("domain");
  }
  matches(request: FilterRequest): boolean {
    return request.username.toLowerCase().endsWith("@" + this.domain);
  }
}

class NotRule extends Rule {
  constructor(private readonly inner: Rule) {
    super("not");
  }
  matches(request: FilterRequest): boolean {
    return !this.inner.matches(request);
  }
  override describe(): string {
    return `!${this.inner.describe()}`;
  }
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const rules: Rule[] = [new PortRule([993, 995]), new DomainRule("example.com"), new NotRule(new DomainRule("bücher.de"))];
  const matched = rules.filter((r) => r.check(request));
  const out = [
    `matched=${matched.map((r) => r.name).join(",")}`,
    `described=${rules.map((r) => r.describe()).join(",")}`,
    `kinds=${rules.map((r) => r.kind).join(",")}`,
    `registered=${Rule.registered}`,
    `is_rule=${rules.every((r) => r instanceof Rule)}`,
    `ports=${rules.filter((r) => r instanceof PortRule).length}`,
    `not_domain=${rules[2] instanceof DomainRule}`,
  ];
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
