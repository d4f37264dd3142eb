// A registry of protocol handlers kept in a static Map; handlers register themselves.
import { accept } from "nauthilus-sdk";

abstract class Handler {
  private static readonly registry = new Map<string, Handler>();
  static order: string[] = [];

  static register(h: Handler): void {
    Handler.registry.set(h.protocol, h);
    this.order.push(h.protocol);
  }

  static for(protocol: string): Handler | undefined {
    return Handler.registry.get(protocol);
  }

  static get count(): number {
    return Handler.registry.size;
  }

  constructor(readonly protocol: string, protected readonly port: number) {}

  abstract route(request: FilterRequest): string;
}

class MailboxHandler extends Handler {
  route(request: FilterRequest): string {
    return `${this.protocol}:${this.port}:${request.account || "-"}`;
  }
}

class TransportHandler extends Handler {
  constructor(port: number) {
    super("submission", port);
  }
  route(request: FilterRequest): string {
    return `relay:${this.port}:${request.username.split("@")[1]}`;
  }
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  Handler.register(new MailboxHandler("imap", 143));
  Handler.register(new MailboxHandler("pop3", 110));
  Handler.register(new TransportHandler(587));
  const h = Handler.for(request.protocol);
  const out = [
    `route=${h?.route(request) ?? "none"}`,
    `count=${Handler.count}`,
    `order=${Handler.order.join(",")}`,
    `kind=${h instanceof TransportHandler ? "transport" : h instanceof MailboxHandler ? "mailbox" : "none"}`,
    `sub_order=${MailboxHandler.order === Handler.order}`,
  ];
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
