// Parses every GitHub Actions workflow (.github/workflows/*.yml, or the files given) with the
// `yaml` package and checks the shape GitHub needs: a name, an `on` trigger, and jobs that each
// have `runs-on` and a non-empty list of steps, each step with `run` or `uses`. Exits 1 with one
// line per problem. Run by scripts/test.sh beside the lints: node scripts/tools/check_workflows.mjs
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dir = join(root, ".github", "workflows");
const files = process.argv.length > 2
  ? process.argv.slice(2)
  : readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
const problems = [];
if (files.length === 0) problems.push(`no workflow in ${dir}`);
for (const file of files) {
  const doc = parseDocument(readFileSync(file, "utf8"), { uniqueKeys: true });
  for (const e of doc.errors) problems.push(`${file}: ${e.message}`);
  if (doc.errors.length > 0) continue;
  const wf = doc.toJS();
  const say = (m) => problems.push(`${file}: ${m}`);
  if (typeof wf?.name !== "string") say("no `name`");
  if (wf?.on === undefined) say("no `on` trigger");
  const jobs = wf?.jobs && typeof wf.jobs === "object" ? Object.entries(wf.jobs) : [];
  if (jobs.length === 0) say("no `jobs`");
  for (const [id, job] of jobs) {
    if (!job || job["runs-on"] === undefined) say(`job ${id} has no \`runs-on\``);
    const steps = Array.isArray(job?.steps) ? job.steps : [];
    if (steps.length === 0) say(`job ${id} has no steps`);
    steps.forEach((s, i) => {
      if (!s || (s.run === undefined) === (s.uses === undefined)) say(`job ${id}, step ${i + 1}: needs exactly one of \`run\` and \`uses\``);
    });
  }
}
if (problems.length > 0) {
  for (const p of problems) console.error(`workflows: ${p}`);
  process.exit(1);
}
console.log(`workflows: ${files.length} file(s) parse and have the shape GitHub needs`);
