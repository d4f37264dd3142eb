// A session counter with a JavaScript private field.
import { accept } from "nauthilus-sdk";

class Attempts {
  #count = 0;
  add(n: number): this {
    this.#count += n;
    return this;
  }
  get count(): number {
    return this.#count;
  }
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const a = new Attempts().add(request.brute_force_counter).add(1);
  nauthilus_builtin.status_message_set(`count=${a.count}`);
  return accept();
}
