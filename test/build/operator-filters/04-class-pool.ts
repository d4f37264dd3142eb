// A backend pool class: pick by a key, count picks, describe itself in logs.
import { get_backend_servers, select_backend_server, type BackendServer } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

class BackendPool {
  static created = 0;
  private readonly members: BackendServer[] = [];
  private pickCount = 0;

  constructor(readonly protocol: string) {
    BackendPool.created++;
  }

  static forProtocol(servers: BackendServer[], protocol: string): BackendPool {
    const pool = new BackendPool(protocol);
    for (const s of servers) if (s.protocol === protocol) pool.add(s);
    return pool;
  }

  add(s: BackendServer): this {
    this.members.push(s);
    return this;
  }

  get size(): number {
    return this.members.length;
  }

  get empty(): boolean {
    return this.size === 0;
  }

  get picks(): number {
    return this.pickCount;
  }

  pick(key: string): BackendServer | undefined {
    this.pickCount++;
    if (this.empty) return undefined;
    let sum = 0;
    for (let i = 0; i < key.length; i++) sum += key.charCodeAt(i);
    return this.members[sum % this.size];
  }

  toString(): string {
    return `Pool(${this.protocol}, ${this.size})`;
  }
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const servers = get_backend_servers();
  const pool = BackendPool.forProtocol(servers, request.protocol);
  const spare = new BackendPool("spare");
  const chosen = pool.pick(request.account) ?? pool.pick(request.username);
  const out = [
    `pool=${pool}`,
    `str=${String(spare)}`,
    `concat=${"pool " + pool}`,
    `size=${pool.size}`,
    `empty=${spare.empty}`,
    `created=${BackendPool.created}`,
    `picks=${pool.picks}`,
    `chosen=${chosen?.ip ?? "none"}`,
    `instance=${pool instanceof BackendPool}`,
    `type=${typeof pool}`,
    `class_name=${BackendPool.name}`,
    `proto=${pool.protocol}`,
    `joined=${[pool, spare].join(";")}`,
  ];
  if (chosen !== undefined) select_backend_server(chosen.ip, chosen.port);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
