// `nauthilus-filters init`: a filter project in the current folder, set up the way the build,
// the editor and the tests expect it. Never overwrites a file; says what it skipped.
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../build/project-root";

/** What a new project gets: target path → where its content comes from in this package. */
const FILES: Array<[string, string]> = [
  ["tsconfig.json", "preset/project/tsconfig.json"],
  ["filters/director.ts", "filters-ts/director.ts"],
  ["test/director.test.ts", "preset/project/test/director.test.ts"],
  ["test/tsconfig.json", "preset/project/test/tsconfig.json"],
  ["samples/request.json", "examples/request.json"],
  ["samples/servers.json", "examples/servers.json"],
  ["samples/attributes.json", "examples/attributes.json"],
  ["samples/nauthilus.yml", "examples/nauthilus.yml"],
  ["samples/users.yml", "examples/users.yml"],
];

/** npm's placeholder test script (npm init -y) may be replaced; a real one never is. */
const NPM_PLACEHOLDER = /^echo "Error: no test specified" && exit 1$/;

export function initProject(dir: string, out: NodeJS.WritableStream = process.stdout): number {
  const say = (line: string) => out.write(`${line}\n`);
  for (const [target, from] of FILES) writeOnce(dir, target, fs.readFileSync(path.join(PROJECT_ROOT, from), "utf8"), say);
  // The editor must run the TypeScript the build uses for the plugin's NF diagnostics to show.
  writeOnce(dir, ".vscode/settings.json", `${JSON.stringify({ "typescript.tsdk": "node_modules/typescript/lib", "typescript.enablePromptUseWorkspaceTsdk": true }, null, 2)}\n`, say);
  const tsconfig = path.join(dir, "tsconfig.json");
  if (!fs.readFileSync(tsconfig, "utf8").includes("nauthilus-filters-sdk/preset/tsconfig.json")) {
    say(`note: tsconfig.json does not extend nauthilus-filters-sdk/preset/tsconfig.json: build will refuse it (NF1094) until it does`);
  }
  writeOnce(dir, ".gitignore", "node_modules/\ndist/\n", say);

  const manifest = path.join(dir, "package.json");
  if (fs.existsSync(manifest)) {
    let pkg: { scripts?: Record<string, string> };
    try {
      pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as typeof pkg;
    } catch (e) {
      say(`note: package.json is not valid JSON (${(e as Error).message}): no scripts added`);
      return 0;
    }
    const scripts = (pkg.scripts ??= {});
    const wanted: Record<string, string> = {
      build: "nauthilus-filters build", test: "nauthilus-filters test", dev: "nauthilus-filters dev",
      serve: "nauthilus-filters build && nauthilus-filters serve --config samples/nauthilus.yml --users samples/users.yml",
    };
    for (const [name, command] of Object.entries(wanted)) {
      if (scripts[name] === undefined || (name === "test" && NPM_PLACEHOLDER.test(scripts[name]))) {
        scripts[name] = command;
        say(`package.json: scripts.${name} = "${command}"`);
      } else if (scripts[name] !== command) {
        say(`kept    package.json scripts.${name} ("${scripts[name]}"); \`npx ${command}\` does it`);
      }
    }
    fs.writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  say("");
  say("Next: npx nauthilus-filters build   (filters/*.ts → dist/filters/*.lua)");
  say("      npx nauthilus-filters test    (test/*.test.ts on the local runtime)");
  say("      npx nauthilus-filters run --request samples/request.json --servers samples/servers.json filters/director.ts");
  say("      npm run serve                 (a local Nauthilus endpoint on 127.0.0.1:9080 for nginx's auth_http)");
  return 0;
}

function writeOnce(dir: string, target: string, content: string, say: (line: string) => void): void {
  const file = path.join(dir, target);
  if (fs.existsSync(file)) {
    say(`kept    ${target} (exists)`);
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  say(`created ${target}`);
}
