// Production's recordings (../shared/corpus, README there): a case folder as the runtime's input
// and its recorded result, read-only. The corpus sits beside the repository (CI lays it there).
import fs from "node:fs";
import path from "node:path";
import type { RunRequest } from "../../runtime/types";

export const CORPUS_DIR = path.resolve(__dirname, "../../../shared/corpus/v139");

export interface CorpusLog {
  key: string;
  type: "boolean" | "number" | "string";
  value: unknown;
  text: string;
}

export interface CorpusCase {
  name: string;
  description: string;
  dir: string;
  filters: string[];
  config: { backend_server_monitoring: boolean; lua_package_path: string; lua_script_timeout: number };
  servers: RunRequest["servers"];
  backend_attributes: RunRequest["attributes"];
  request: FilterRequest;
  expected: {
    outcome: string;
    error: string | null;
    status_message: string | null;
    custom_logs: CorpusLog[] | null;
    selected: { ip: string; port: number } | null;
    [field: string]: unknown;
  };
}

export function corpusCases(): string[] {
  return fs.readdirSync(CORPUS_DIR).filter((n) => fs.existsSync(path.join(CORPUS_DIR, n, "case.json"))).sort();
}

export function loadCase(name: string): CorpusCase {
  const dir = path.join(CORPUS_DIR, name);
  return { name, dir, ...JSON.parse(fs.readFileSync(path.join(dir, "case.json"), "utf8")) } as CorpusCase;
}

/** The case as the runtime's input: chunks named by their bare file names, as recorded. */
export function corpusRun(c: CorpusCase, request: Partial<FilterRequest> = c.request): RunRequest {
  return {
    filters: c.filters.map((f) => ({ name: f, source: fs.readFileSync(path.join(c.dir, f), "utf8") })),
    servers: c.servers,
    attributes: c.backend_attributes,
    request,
    timeoutSeconds: c.config.lua_script_timeout,
    packagePath: c.config.lua_package_path,
    monitoring: c.config.backend_server_monitoring,
  };
}

/** The recorded custom logs as the runtime's outcome lists them: [key, Go %v text]. */
export function expectedLogs(c: CorpusCase): Array<[string, string]> | null {
  return c.expected.custom_logs?.map((l) => [l.key, l.text]) ?? null;
}
