// Second filter: routes by the pool the first filter noted.
import { get_backend_servers, select_backend_server } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

type Annotated = FilterRequest & { pool?: string; hops?: number };

export const nauthilus_call_filter: FilterEntry = (request) => {
  const { pool = "none", hops = 0, account, ...others } = request as Annotated;
  const prefix = pool === "eu" ? "10.0.2." : "10.0.1.";
  const server = get_backend_servers().find((s) => s.ip.startsWith(prefix));
  if (server) select_backend_server(server.ip, server.port);
  nauthilus_builtin.status_message_set(`pool=${pool} | hops=${hops} | account=${account} | others=${Object.keys(others).length} | server=${server?.ip}`);
  return accept();
};
