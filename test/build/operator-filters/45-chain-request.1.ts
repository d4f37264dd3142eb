// First filter: notes the pool on the request table, which the next filter of the chain sees.
import { accept } from "nauthilus-sdk";

type Annotated = FilterRequest & { pool?: string; hops?: number };

export const nauthilus_call_filter: FilterEntry = (request) => {
  const r = request as Annotated;
  r.pool = request.username.toLowerCase().endsWith(".de") ? "eu" : "us";
  r.hops = (r.hops ?? 0) + 1;
  return accept();
};
