#!/usr/bin/env bash
# Builds the DocC catalogs (Sources/*/Documentation.docc) with the toolchain's docc, from symbol
# graphs of a separate build; any warning (a broken link, an unknown symbol) fails.
#
#     bash .ci/docs.sh [OUTPUT_DIR]       default .build-docs/archives
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v docc >/dev/null; then echo "docs: no docc in this toolchain; skipped"; exit 0; fi
out=${1:-.build-docs/archives}
graphs=.build-docs/symbol-graphs
mkdir -p "$graphs" "$out"   # kept: an incremental build that compiles nothing writes no graphs
swift build --scratch-path .build-docs/build --target PlanStreamClient \
    -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$PWD/$graphs" >/dev/null
status=0
for module in IncrementalJSON PlanStream PlanStreamClient; do
    rm -rf "$graphs/$module" && mkdir -p "$graphs/$module" && cp "$graphs/$module.symbols.json" "$graphs/$module/"
    log=$(docc convert "Sources/$module/Documentation.docc" --additional-symbol-graph-dir "$graphs/$module" \
        --fallback-display-name "$module" --fallback-bundle-identifier "org.planstream.$module" \
        --output-path "$out/$module.doccarchive" 2>&1) || status=1
    warnings=$(grep -cE "^(warning|error):" <<<"$log" || true)
    echo "docs: $module — $warnings warnings"
    if [ "$warnings" -gt 0 ]; then grep -E -A3 "^(warning|error):" <<<"$log" | head -40; status=1; fi
done
exit $status
