#!/usr/bin/env bash
# Builds a libFuzzer target and runs it for a while:
#
#     Tests/Fuzz/run.sh TARGET SECONDS      TARGET: parser | repair | sse | snapshots | decode | all (each for SECONDS)
#
# Exits non-zero on any finding; each crashing input is copied to Tests/Fuzz/Regressions/TARGET/,
# which `swift test` replays (FuzzRegressionTests). The build lives in .build-fuzz: the fuzz
# flags never touch the normal build, where the same targets are plain replay tools. With
# PLANSTREAM_PORTABLE_SIMD=1 the scanner runs the portable SIMD lanes that other processors run
# instead of SSE2 (build in .build-fuzz-portable).
set -uo pipefail
cd "$(dirname "$0")/../.."
target=${1:?usage: Tests/Fuzz/run.sh parser|repair|sse|snapshots|decode|all SECONDS}
seconds=${2:?usage: Tests/Fuzz/run.sh parser|repair|sse|snapshots|decode|all SECONDS}
case "$target" in
    all) targets=(parser repair sse snapshots decode) ;;
    parser|repair|sse|snapshots|decode) targets=("$target") ;;
    *) echo "unknown target $target (parser, repair, sse, snapshots, decode, all)" >&2; exit 2 ;;
esac

scratch=.build-fuzz
portable=()
if [ -n "${PLANSTREAM_PORTABLE_SIMD:-}" ]; then
    scratch=.build-fuzz-portable
    portable=(-Xswiftc -DPLANSTREAM_PORTABLE_SIMD)
fi
flags=(-c release --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld -Xswiftc -DFUZZING "${portable[@]}")
# AddressSanitizer too, when this toolchain links it.
if swift build "${flags[@]}" -Xswiftc -sanitize=address --product fuzz-parser >/dev/null 2>&1; then
    flags+=(-Xswiftc -sanitize=address)
fi
bin=$(swift build "${flags[@]}" --show-bin-path)

status=0
for t in "${targets[@]}"; do
    echo "== fuzz-$t: building"
    if ! swift build "${flags[@]}" --product "fuzz-$t" >"$scratch/build-$t.log" 2>&1; then
        grep -E "error" "$scratch/build-$t.log" | head -20 >&2
        echo "fuzz-$t did not build" >&2
        exit 2
    fi

    # Seed corpus: the malformed fixtures, the small plans, and slices of the large ones.
    corpus=$scratch/corpus/$t
    findings=$scratch/findings/$t/
    regressions=Tests/Fuzz/Regressions/$t
    mkdir -p "$corpus" "$findings" "$regressions"
    if [ "$t" = sse ]; then
        for f in Fixtures/streams/* Fixtures/providers/*; do head -c 3000 "$f" >"$corpus/head-$(basename "$f")"; done
        # HTTP responses for the socket transport's reader.
        printf 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n16;x=y\r\ndata: {"text": "hi"}\n\n\r\n0\r\nTrailer: 1\r\n\r\n' >"$corpus/http-chunked"
        printf 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 429 Too Many\r\nContent-Length: 4\r\n\r\nslow' >"$corpus/http-length"
    else
        cp Fixtures/malformed/*.json "$corpus"/ 2>/dev/null
        cp Fixtures/plan-7d.min.json Fixtures/plan-7d.fenced.txt "$corpus"/
        for f in Fixtures/plan-*.json; do head -c 1500 "$f" >"$corpus/head-$(basename "$f")"; done
        # The JSON conformance suite's documents, where the workspace keeps it (the tests read it too).
        suite=${JSON_TEST_SUITE:-../shared/data/JSONTestSuite}
        if [ -d "$suite/test_parsing" ]; then
            for f in "$suite"/test_parsing/*.json "$suite"/test_transform/*.json; do
                [ "$(wc -c <"$f")" -le 4096 ] && cp "$f" "$corpus/suite-$(basename "$f")"
            done
        fi
    fi
    rm -f "$findings"/*

    echo "== fuzz-$t: ${seconds}s"
    # The Swift runtime's crash backtracer would hold the pipe open; libFuzzer reports the crash.
    SWIFT_BACKTRACE=enable=no "$bin/fuzz-$t" "$corpus" "$regressions" -max_total_time="$seconds" -max_len=4096 -timeout=20 \
        -rss_limit_mb=4096 -artifact_prefix="$findings" -print_final_stats=1 2>&1 \
        | grep -E "^(#[0-9]+ +(INITED|DONE)|Done|stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==|.*Fatal error|input \(|SUMMARY)" \
        | tail -n 12
    found=$(ls "$findings" 2>/dev/null | wc -l)
    if [ "$found" -gt 0 ]; then
        cp "$findings"/* "$regressions"/
        echo "fuzz-$t: $found finding(s) saved in $regressions" >&2
        status=1
    fi
done
exit $status
