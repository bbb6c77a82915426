// `npm run loadtest -- --scenario <name> --bots N --duration S [--url ws://…] [--compare A B]`:
// runs bots (or autocannon) against a server, writes result.json + report.html, prints a summary
// and ends with one JSON line of headline figures.

import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { ArgsError, USAGE, parseArgs } from './cli/parse-args.ts';
import { prepare, readRunConfig, runOne } from './cli/run-config.ts';
import { formatSummary, headlineJson } from './cli/summary.ts';
import { Progress } from './progress/progress.ts';
import { compareRuns, formatRatios } from './report/compare.ts';
import { writeResult } from './report/write.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function main(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const cwd = process.cwd();
  const outRoot = resolve(cwd, opts.outDir ?? resolve(REPO_ROOT, 'loadtest/results'));
  const progress = new Progress({ stream: process.stderr });
  const prep = await prepare(opts, cwd);
  if (opts.compare) {
    const [ca, cb] = opts.compare.map((c) => readRunConfig(c, cwd)) as [ReturnType<typeof readRunConfig>, ReturnType<typeof readRunConfig>];
    progress.log(`run A: ${ca.label}`);
    const a = await runOne(prep, opts, ca, REPO_ROOT, progress);
    progress.log(`run B: ${cb.label}`);
    const b = await runOne(prep, opts, cb, REPO_ROOT, progress);
    const cmp = compareRuns(a, b);
    const dir = writeResult(outRoot, cmp, opts.html);
    process.stdout.write(`${formatSummary(a)}\n\n${formatSummary(b)}\n\n${formatRatios(cmp)}\n\nwritten to ${dir}\n`);
    process.stdout.write(`${JSON.stringify({ compare: [headlineJson(a, dir), headlineJson(b, dir)], ratios: Object.fromEntries(cmp.ratios.map((r) => [r.metric, Number(r.ratio.toFixed(4))])) })}\n`);
    return 0;
  }
  const result = await runOne(prep, opts, {}, REPO_ROOT, progress);
  const dir = writeResult(outRoot, result, opts.html);
  process.stdout.write(`${formatSummary(result)}\n\nwritten to ${dir}\n`);
  process.stdout.write(`${JSON.stringify(headlineJson(result, dir))}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const err = e as { code?: string; message?: string };
    process.stderr.write(`\nloadtest: ${err.code ? `[${err.code}] ` : ''}${err.message ?? String(e)}\n`);
    process.exit(e instanceof ArgsError ? 2 : 1);
  },
);
