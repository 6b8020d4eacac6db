import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";

const repo = resolve(__dirname, "..", "..", "..");

/** The first ```ts block of the README section that starts with `heading`. */
function codeUnder(markdown: string, heading: string): string {
  const at = markdown.indexOf(`\n${heading}`);
  assert.ok(at >= 0, `README has no "${heading}" section`);
  const block = /```ts\n([\s\S]*?)```/.exec(markdown.slice(at));
  assert.ok(block?.[1] !== undefined, `no ts code block under "${heading}"`);
  return block[1];
}

describe("README", () => {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const heading = "## Use it: one migration wave in 20 lines";

  it("keeps its usage example about 20 lines and using all four services", () => {
    const code = codeUnder(readme, heading);
    assert.ok(code.trimEnd().split("\n").length <= 22, "the example grew past ~20 lines");
    for (const cls of [
      "ads.ImportTask",
      "mgn.ImportTask",
      "migrationhub.ProgressUpdateStream",
      "migrationhub.MigrationTask",
      "ec2.ImportImageTask",
    ]) {
      assert.ok(code.includes(`new ${cls}(`), `the example does not create a ${cls}`);
    }
  });

  it("has a usage example that type-checks against the package's public API", function () {
    this.timeout(60_000);
    const file = join(repo, "tests", "unit", "docs", "__readme_example__.ts");
    const code = codeUnder(readme, heading);
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ["node"],
      typeRoots: [join(repo, "node_modules", "@types")],
      baseUrl: repo,
      // The package name resolves to its source, as the exports map resolves it to dist.
      paths: { "pulumi-aws-migration": ["provider/index.ts"] },
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    host.readFile = (f) => (resolve(f) === file ? code : readFile(f));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (f) => resolve(f) === file || fileExists(f);
    const program = ts.createProgram([file], options, host);
    const messages = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || resolve(d.file.fileName) === file)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    assert.deepEqual(messages, []);
  });
});
