// A login context object with a computed local part.
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const ctx = {
    user: request.username,
    get local(): string {
      return this.user.split("@")[0]!;
    },
    set local(v: string) {
      this.user = `${v}@${this.user.split("@")[1]}`;
    },
  };
  ctx.local = "renamed";
  nauthilus_builtin.status_message_set(`local=${ctx.local} | user=${ctx.user}`);
  return accept();
}
