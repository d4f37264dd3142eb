// Error handling around routing steps: custom error classes, finally, rethrow, and errors the
// runtime raises (reading a field of a missing part).
import { accept } from "nauthilus-sdk";

class RouteError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = "RouteError";
  }
}

function route(request: FilterRequest): string {
  if (request.account === "") throw new RouteError(404, "no account");
  if (request.protocol === "pop3") throw new Error("pop3 is being retired");
  return "10.0.1.3";
}

function withCleanup(log: string[], f: () => string): string {
  try {
    log.push("start");
    return f();
  } finally {
    log.push("cleanup");
  }
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const state = { ip: "none", kind: "", steps: [] as string[] };
  try {
    state.ip = withCleanup(state.steps, () => route(request));
  } catch (e) {
    if (e instanceof RouteError) state.kind = `route:${e.code}:${e.message}:${e.name}`;
    else if (e instanceof Error) state.kind = `error:${e.message}:${e.name}`;
    else state.kind = `other:${typeof e}`;
  }
  out.push(`ip=${state.ip}`, `kind=${state.kind}`, `steps=${state.steps.join(">")}`);

  const nested = { outer: "", inner: "" };
  try {
    try {
      throw new RouteError(500, "inner");
    } catch (e) {
      nested.inner = (e as Error).message;
      throw e;
    }
  } catch (e) {
    nested.outer = `${e instanceof RouteError}:${String(e)}`;
  }
  out.push(`inner=${nested.inner}`, `outer=${nested.outer}`);

  const parts = request.username.split("@");
  const vm = { kind: "", isError: "" };
  try {
    vm.kind = parts[5]!.toLowerCase();
  } catch (e) {
    vm.kind = typeof e;
    vm.isError = String(e instanceof Error);
  }
  out.push(`vm_error=${vm.kind}`, `vm_is_error=${vm.isError}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
