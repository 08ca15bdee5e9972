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

"$planstream" plan Fixtures/plan-7d.json --chunk-size 16 >"$tmp/plan"; expect "plan complete" 0 $?
grep -q '^{"event":"metadataReady","offset":[0-9]*}$' "$tmp/plan"; expect "plan metadataReady line" 0 $?
[ "$(grep -c '^{"event":"dayCompleted","index":[0-9]*,"offset":[0-9]*}$' "$tmp/plan")" -eq 7 ]; expect "plan dayCompleted lines" 0 $?
tail -1 "$tmp/plan" | grep -q '^{"event":"completed","days":7'; expect "plan last line completed" 0 $?
"$planstream" plan Fixtures/plan-7d.json >"$tmp/plan-whole"; diff <(grep -v progress "$tmp/plan") <(grep -v progress "$tmp/plan-whole") >/dev/null; expect "plan chunk invariance" 0 $?
head -c 6000 Fixtures/plan-7d.json | "$planstream" plan - >"$tmp/cut"; expect "plan truncated" 1 $?
printf '{"metadata": {}, "days": [{"day": 1}, x' | timeout 20 "$planstream" plan - --chunk-size 3 >"$tmp/bad" 2>/dev/null; expect "plan invalid ends" 1 $?
tail -1 "$tmp/bad" | grep -q '^{"event":"partial","days":1,'; expect "plan invalid keeps the completed day" 0 $?
tail -1 "$tmp/cut" | grep -q '^{"event":"partial","days":2,'; expect "plan last line partial" 0 $?
"$planstream" plan Fixtures/plan-7d.fenced.txt --lenient --expected-days 7 >/dev/null; expect "plan --lenient --expected-days" 0 $?
"$planstream" plan Fixtures/plan-7d.json --chunk-size 16 --snapshots >"$tmp/snapshots"; expect "plan --snapshots" 0 $?
[ "$(grep -c '^{"event":"daySnapshot","index":[0-9]*,"value":{.*}}$' "$tmp/snapshots")" -gt 100 ]; expect "plan daySnapshot lines" 0 $?
diff <(grep -v daySnapshot "$tmp/snapshots") "$tmp/plan" >/dev/null; expect "plan --snapshots keeps the other lines" 0 $?
python3 -c '
import json, sys
last = {}
for line in open(sys.argv[1]):
    event = json.loads(line)
    if event["event"] == "daySnapshot": last[event["index"]] = event["value"]
    if event["event"] == "dayCompleted": assert event["index"] in last
' "$tmp/snapshots"; expect "plan snapshot lines are JSON, before their day completes" 0 $?

head -c 6000 Fixtures/plan-7d.fenced.txt | "$planstream" repair - >"$tmp/repaired" 2>"$tmp/report"; expect "repair" 0 $?
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/repaired"; expect "repair output is JSON" 0 $?
[ "$(wc -l <"$tmp/report")" -eq 1 ]; expect "repair one-line report" 0 $?
printf '["caf\xc3' | "$planstream" repair - --keep-partial-strings 2>/dev/null | grep -qx '\["caf"\]'; expect "repair --keep-partial-strings" 0 $?
printf 'no json here' | "$planstream" repair - >/dev/null 2>&1; expect "repair nothing" 1 $?

"$planstream" replay --delay-ms 0 >"$tmp/replay"; expect "replay embedded plan" 0 $?
[ "$(grep -c '✓' "$tmp/replay")" -eq 7 ]; expect "replay a line per day" 0 $?
"$planstream" replay Fixtures/plan-30d.json --chunk-size 512 --delay-ms 0 >/dev/null; expect "replay FILE" 0 $?

# relay: the seed's relay protocol for a file, as if streamed; each event's data is one JSON object.
"$planstream" relay Fixtures/plan-7d.json --chunk-size 5 >"$tmp/relay"; expect "relay complete" 0 $?
python3 - "$tmp/relay" <<'PY'; expect "relay events: status, metadata, 7 day_complete with the days, progress, complete" 0 $?
import json, sys
events = []
for block in open(sys.argv[1], encoding="utf-8").read().split("\n\n"):
    lines = [line[6:] for line in block.split("\n") if line.startswith("data: ")]
    if lines: events.append(json.loads("\n".join(lines)))
types = [e["type"] for e in events]
plan = json.load(open("Fixtures/plan-7d.json", encoding="utf-8"))
days = [e for e in events if e["type"] == "day_complete"]
assert types[0] == "status" and types[-1] == "complete" and "metadata" in types and "progress" in types, types
assert [d["data"] for d in days] == plan["days"] and [d["day"] for d in days] == list(range(1, 8)), days
assert all(d["total"] == 7 for d in days), [d["total"] for d in days]
assert events[-1]["plan"] == plan
ids = [int(line[4:]) for line in open(sys.argv[1], encoding="utf-8").read().split("\n") if line.startswith("id: ")]
assert ids == list(range(1, len(events) + 1)), ids   # ids count up in the order sent
PY
# A lenient relay of a model's trailing commas: every event, the days' JSON included, is strict JSON.
printf '{"metadata": {"title": "T",}, "days": [{"day": 1, "tips": ["a",],}, {"day": 2,},],}' >"$tmp/commas.json"
"$planstream" relay "$tmp/commas.json" --lenient >"$tmp/relay-commas"; expect "relay --lenient with trailing commas" 0 $?
python3 - "$tmp/relay-commas" <<'PY'; expect "relay events are strict JSON without the commas" 0 $?
import json, sys
events = [json.loads("\n".join(line[6:] for line in block.split("\n") if line.startswith("data: ")))
          for block in open(sys.argv[1], encoding="utf-8").read().split("\n\n") if "data: " in block]
days = [e["data"] for e in events if e["type"] == "day_complete"]
assert [e for e in events if e["type"] == "metadata"][0]["metadata"] == {"title": "T"}, events
assert days == [{"day": 1, "tips": ["a"]}, {"day": 2}], days
PY
# A plan written with CRLF line endings: read as an event stream reads lines (CR, LF or CRLF end one),
# every event's data is still one whole JSON object.
python3 -c 'import sys; sys.stdout.buffer.write(open("Fixtures/plan-7d.json", "rb").read().replace(b"\n", b"\r\n"))' >"$tmp/crlf.json"
"$planstream" relay "$tmp/crlf.json" >"$tmp/relay-crlf"; expect "relay of a CRLF file" 0 $?
python3 - "$tmp/relay-crlf" <<'PY'; expect "relay events of a CRLF file, read by the event stream's line rules" 0 $?
import json, re, sys
events, data = [], None
for line in re.split(r"\r\n|\n|\r", open(sys.argv[1], encoding="utf-8", newline="").read()):
    if line == "":
        if data is not None: events.append(json.loads("\n".join(data)))
        data = None
    elif line.startswith("data:"):
        data = (data or []) + [line[6:] if line.startswith("data: ") else line[5:]]
plan = json.load(open("Fixtures/plan-7d.json", encoding="utf-8"))
assert [e["data"] for e in events if e["type"] == "day_complete"] == plan["days"]
assert events[-1]["plan"] == plan
PY
head -c 5000 Fixtures/plan-7d.json | "$planstream" relay - >"$tmp/relay-cut"; expect "relay cut file" 1 $?
grep -q '^data: {"type":"partial","days":[0-9]*,"nextDay":[0-9]*,"plan":{' "$tmp/relay-cut"; expect "relay partial event" 0 $?
"$planstream" relay 2>/dev/null; expect "relay without FILE" 2 $?

# stream: against the local replay server (Python 3's standard library), started here.
python3 Tests/PlanStreamClientTests/Server/replay_server.py Fixtures >"$tmp/port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
base="http://127.0.0.1:$(head -1 "$tmp/port")/streams"
"$planstream" stream "$base/gemini-7d.sse?chunk=300" --format gemini --data '{}' >"$tmp/streamed" 2>/dev/null; expect "stream complete" 0 $?
python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))["days"]) == 7' "$tmp/streamed"; expect "stream prints the plan" 0 $?
"$planstream" stream "$base/openai-length.sse" --format openai >"$tmp/partial" 2>/dev/null; expect "stream partial" 1 $?
python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))["days"]) == 3' "$tmp/partial"; expect "stream prints the partial plan" 0 $?
"$planstream" stream "$base/openai-500.json?status=500" --format openai >/dev/null 2>&1; expect "stream HTTP 500" 2 $?
"$planstream" stream "$base/ollama-7d.ndjson?chunk=64&stall=3" --format ndjson --idle-timeout 1 >/dev/null 2>&1; expect "stream idle timeout" 1 $?
root="http://127.0.0.1:$(head -1 "$tmp/port")"
days7='import json,sys; assert len(json.load(open(sys.argv[1]))["days"]) == 7'
"$planstream" stream "$root/plan-7d.json?envelope=anthropic" >"$tmp/auto" 2>/dev/null; expect "stream --format auto by default" 0 $?
python3 -c "$days7" "$tmp/auto"; expect "stream auto prints the plan" 0 $?
"$planstream" stream "$root/plan-7d.json?envelope=gemini-json" --format gemini-json >"$tmp/array" 2>/dev/null; expect "stream --format gemini-json" 0 $?
python3 -c "$days7" "$tmp/array"; expect "stream gemini-json prints the plan" 0 $?
"$planstream" stream "$root/plan-7d.json?envelope=openai-responses-tool" --format openai-responses --tool save_plan >"$tmp/tool" 2>/dev/null; expect "stream --tool NAME" 0 $?
python3 -c "$days7" "$tmp/tool"; expect "stream --tool prints the plan" 0 $?
"$planstream" stream "$root/plan-7d.json?whole=openai" >"$tmp/whole-response" 2>/dev/null; expect "stream a whole JSON response" 0 $?
"$planstream" stream "$root/providers/openai-refusal.sse" >/dev/null 2>"$tmp/refusal"; expect "stream refusal" 2 $?
grep -q "refused" "$tmp/refusal"; expect "stream says the model refused" 0 $?
"$planstream" stream "$root/plan-7d.json" --format nonsense >/dev/null 2>&1; expect "stream unknown format" 2 $?

[ "$failures" -eq 0 ] || { echo "$failures contract check(s) failed"; exit 1; }
