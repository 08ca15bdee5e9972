#!/usr/bin/env bash
# Checks the `planstream` contract of DESIGN.md: commands, exit codes, line formats.
set -uo pipefail
planstream=${1:?usage: cli-contract.sh PATH_TO_PLANSTREAM}
failures=0
expect() { # expect NAME EXPECTED_STATUS ACTUAL_STATUS
    if [ "$2" != "$3" ]; then echo "FAIL $1: exit $3, expected $2"; failures=$((failures + 1)); else echo "ok   $1"; fi
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

"$planstream" validate Fixtures/plan-30d.json --chunk-size 64 >/dev/null 2>&1; expect "validate valid" 0 $?
"$planstream" validate Fixtures/plan-7d.fenced.txt --lenient >/dev/null 2>&1; expect "validate --lenient" 0 $?
"$planstream" validate Fixtures/malformed/trailing-comma.json 2>"$tmp/err"; expect "validate invalid" 1 $?
grep -Eq '^error: .+ at line [0-9]+, column [0-9]+ \(byte [0-9]+\), path \$' "$tmp/err"; expect "error line format" 0 $?
"$planstream" validate /nonexistent/file.json 2>/dev/null; expect "validate missing file" 2 $?
"$planstream" validate 2>/dev/null; expect "validate without FILE" 2 $?
"$planstream" frobnicate 2>/dev/null; expect "unknown command" 2 $?
printf '[1,2]' | "$planstream" validate - >/dev/null 2>&1; expect "validate stdin" 0 $?

"$planstream" events Fixtures/plan-7d.json --chunk-size 7 >"$tmp/events"; expect "events valid" 0 $?
head -1 "$tmp/events" | grep -qx '{"event":"objectStart","offset":0,"path":"\$"}'; expect "events first line" 0 $?
grep -q '{"event":"objectStart","offset":[0-9]*,"path":"\$.days\[0\]"}' "$tmp/events"; expect "events day path" 0 $?
grep -q '{"event":"key","offset":[0-9]*,"path":"\$.metadata.title","value":"title"}' "$tmp/events"; expect "events key line" 0 $?
"$planstream" events Fixtures/plan-7d.json >"$tmp/whole"; cmp -s "$tmp/events" "$tmp/whole"; expect "events chunk invariance" 0 $?
printf '[1, 2, x]' | "$planstream" events - >"$tmp/partial" 2>/dev/null; expect "events invalid" 1 $?
[ "$(wc -l <"$tmp/partial")" -eq 3 ]; expect "events before the error are printed" 0 $?

[ "$failures" -eq 0 ] || { echo "$failures contract check(s) failed"; exit 1; }
