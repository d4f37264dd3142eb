// A login context with computed properties (class accessors).
import { accept } from "nauthilus-sdk";

class Login {
  private _port = 0;

  constructor(private readonly request: FilterRequest) {
    this.port = Number(request.local_port);
  }

  get domain(): string {
    return this.request.username.split("@")[1] ?? "";
  }

  get port(): number {
    return this._port;
  }

  set port(value: number) {
    this._port = value > 0 && value < 65536 ? value : 143;
  }

  static get defaultPort(): number {
    return 143;
  }
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const login = new Login(request);
  out.push(`domain=${login.domain}`, `port=${login.port}`);
  login.port = 70000;
  out.push(`clamped=${login.port}`, `default=${Login.defaultPort}`);

  const copy = { ...login };
  out.push(`copy_keys=${Object.keys(copy).sort().join(",")}`, `copy_port=${(copy as { port?: number }).port}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
