// Lua lines of a compiled filter back to its TypeScript, from the standard source map the build
// writes beside the .lua (version 3, base64 VLQ mappings). Only what error positions need: the
// first mapped TypeScript position of a generated line.
import path from "node:path";

/** A source map as the runtime keeps it: mappings, and sources already resolved to paths. */
export interface FilterSourceMap {
  mappings: string;
  /** The TypeScript files, as they are to be shown (e.g. relative to the working directory). */
  sources: string[];
}

export interface TsPosition {
  file: string;
  /** 1-based, as editors show them. */
  line: number;
  column: number;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes one segment's VLQ fields; undefined for a malformed segment. */
function decodeSegment(segment: string): number[] | undefined {
  const fields: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of segment) {
    const digit = DIGIT.get(c);
    if (digit === undefined) return undefined;
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    fields.push(value % 2 === 1 ? -Math.floor(value / 2) : value / 2);
    value = 0;
    shift = 0;
  }
  return shift === 0 ? fields : undefined;
}

/** Generated line (1-based) → the first TypeScript position mapped on it. */
export class LineIndex {
  private readonly lines: Array<TsPosition | undefined> = [];

  constructor(map: FilterSourceMap) {
    let source = 0;
    let srcLine = 0;
    let srcCol = 0;
    map.mappings.split(";").forEach((text, index) => {
      let first: TsPosition | undefined;
      for (const segment of text.split(",")) {
        if (segment === "") continue;
        const fields = decodeSegment(segment);
        if (fields === undefined || fields.length < 4) continue;
        source += fields[1];
        srcLine += fields[2];
        srcCol += fields[3];
        const file = map.sources[source];
        if (first === undefined && file !== undefined) first = { file, line: srcLine + 1, column: srcCol + 1 };
      }
      this.lines[index + 1] = first;
    });
  }

  at(line: number): TsPosition | undefined {
    return this.lines[line];
  }
}

export function formatTsPosition(p: TsPosition): string {
  return `${p.file}:${p.line}:${p.column}`;
}

const indexes = new WeakMap<FilterSourceMap, LineIndex>();

function indexOf(map: FilterSourceMap): LineIndex {
  let index = indexes.get(map);
  if (!index) indexes.set(map, (index = new LineIndex(map)));
  return index;
}

export interface MappedChunk {
  /** The chunk name the runtime gave the filter (its script path). */
  name: string;
  sourceMap?: FilterSourceMap;
}

/**
 * `text` with the TypeScript position next to each `<chunk>:<line>:` of a compiled filter:
 * `dist/filters/x.lua:90 (filters/x.ts:12:5): …`. A line with no mapping of its own (inlined
 * helpers, TypeScriptToLua's lualib) takes the innermost mapped line among `frames` (the lines of
 * the failing filter's frames, innermost first); a text without any position gets
 * ` (at file.ts:L:C)` from them. Undefined when nothing could be located.
 */
export function withTsPositions(text: string, chunks: readonly MappedChunk[], frames?: { filter: string; lines: number[] }): string | undefined {
  let located = false;
  let result = text;
  const fallback = (name: string, map: FilterSourceMap): TsPosition | undefined => {
    if (frames?.filter !== name) return undefined;
    for (const line of frames.lines) {
      const p = indexOf(map).at(line);
      if (p) return p;
    }
    return undefined;
  };
  for (const chunk of chunks) {
    const map = chunk.sourceMap;
    if (!map) continue;
    // The name starts the text or follows a blank or "(": `a.lua` must not match inside `data.lua`.
    const pattern = new RegExp(`(?<=^|[\\s(])${chunk.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+)(?=:)`, "g");
    result = result.replace(pattern, (whole, line: string) => {
      const p = indexOf(map).at(Number(line)) ?? fallback(chunk.name, map);
      if (!p) return whole;
      located = true;
      return `${whole} (${formatTsPosition(p)})`;
    });
    if (!located && frames?.filter === chunk.name) {
      const p = fallback(chunk.name, map);
      if (p) {
        located = true;
        result = `${result} (at ${formatTsPosition(p)})`;
      }
    }
  }
  return located ? result : undefined;
}

/** A .lua.map as written by the build, with its sources shown relative to `cwd`. */
export function parseSourceMap(json: string, mapFile: string, cwd: string): FilterSourceMap | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  const { mappings, sources } = (raw ?? {}) as { mappings?: unknown; sources?: unknown };
  if (typeof mappings !== "string" || !Array.isArray(sources) || !sources.every((s) => typeof s === "string")) return undefined;
  const dir = path.dirname(path.resolve(mapFile));
  return {
    mappings,
    sources: sources.map((s: string) => path.relative(cwd, path.resolve(dir, s)).split(path.sep).join("/")),
  };
}
