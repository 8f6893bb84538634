#!/usr/bin/env bash
# Re-synthesizes WebStack.template.json from app.js without network or AWS account: aws-cdk-lib
# and constructs (versions pinned in package.json) come from npm's local cache (`npm install
# --offline`; one online `npm install` in any directory fills it), and the app runs with node
# directly (no cdk CLI, no cdk.out left behind).
#
#   synth.sh            writes WebStack.template.json beside this script
#   synth.sh --check    exits 1 if the checked-in template differs from a fresh synthesis
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp "$here/app.js" "$here/package.json" "$work/"
(cd "$work" && npm install --offline --no-audit --no-fund --loglevel=error >/dev/null) ||
  { echo "npm install --offline failed: run 'npm install' in $here once with network" >&2; exit 1; }
(cd "$work" && CDK_DISABLE_VERSION_CHECK=1 node app.js out >/dev/null)
# Stable output: the CDK writes JSON with one-space indentation; keep it as synthesized.
if [[ ${1:-} == --check ]]; then
  diff -u "$here/WebStack.template.json" "$work/out/WebStack.template.json"
else
  cp "$work/out/WebStack.template.json" "$here/WebStack.template.json"
  echo "wrote $here/WebStack.template.json" >&2
fi
