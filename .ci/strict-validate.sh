#!/usr/bin/env bash
# Strict validation of dist/ with ../shared/tools/k8s-validate.mjs (Kubernetes 1.28 and 1.36 schemas
# and the pinned CRDs).
#
# The prometheus-operator 0.93 PrometheusRule CRD declares a Go regular expression with an inline
# flag, '^(?i)(abort|warn)?$', which JavaScript cannot compile, so the validator stops on the first
# PrometheusRule. When (and only when) that happens, the same validator runs again over a copy of
# the CRDs in which each '(?i)' pattern is rewritten to the equivalent case-insensitive character
# classes; every other rule is unchanged.
set -euo pipefail
shared=${1:?usage: strict-validate.sh SHARED_DIR DIST_DIR}
dist=${2:?usage: strict-validate.sh SHARED_DIR DIST_DIR}
versions=(--k8s 1.28.0 --k8s 1.36.0)

if out=$(node "$shared/tools/k8s-validate.mjs" "${versions[@]}" "$dist" 2>&1); then
  echo "$out" | tail -n 1
  exit 0
fi
if ! grep -q 'Invalid regular expression: /^(?i)' <<<"$out"; then
  echo "$out"
  exit 1
fi

echo "k8s-validate could not compile a Go '(?i)' pattern of a CRD; validating again with it rewritten"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tools" "$work/crds"
cp "$shared/tools/k8s-validate.mjs" "$work/tools/"
ln -s "$(cd "$shared/tools/node_modules" && pwd)" "$work/tools/node_modules"
ln -s "$(cd "$shared/schemas" && pwd)" "$work/schemas"
node - "$shared/crds" "$work/crds" <<'JS'
const fs = require('fs');
const path = require('path');
const [from, to] = process.argv.slice(2);
const caseless = (re) => re.replace(/[A-Za-z]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
for (const file of fs.readdirSync(from).filter((f) => f.endsWith('.yaml'))) {
  const text = fs.readFileSync(path.join(from, file), 'utf8')
    .replace(/(pattern: *['"]?\^?)\(\?i\)([^\n'"]*)/g, (_, head, rest) => head + caseless(rest));
  fs.writeFileSync(path.join(to, file), text);
}
JS
node "$work/tools/k8s-validate.mjs" "${versions[@]}" "$dist"
