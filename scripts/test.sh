#!/usr/bin/env bash
# The whole test run (README's test command, called by .ci/run): install, build, static checks, jest.
# Ends with a plain "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { echo; echo "== $* ($(( $(date +%s) - start )) s)"; }

step "setup"
bash scripts/setup.sh --with-browser

step "build (tsc + vite)"
npm run --silent build

step "typecheck"
npx tsc -p tsconfig.json --noEmit
npx tsc -p site/tsconfig.json --noEmit

step "lint (type-checked ESLint)"
npx eslint . --max-warnings=0

step "dependency rules"
npm run --silent depcheck

step "jest (unit + integration)"
report=$(mktemp --suffix=.json)
set +e
# Jest's readable report goes to stderr; the JSON copy on stdout is not needed (it is in $report).
npx jest --ci --json --outputFile="$report" "$@" > /dev/null
code=$?
set -e
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  console.log(`\njest: ${r.numTotalTestSuites} suites, ${r.numTotalTests} tests`);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed`);
' "$report" || echo "0 passed, 1 failed"
step "done"
exit $code
