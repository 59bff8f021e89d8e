#!/usr/bin/env bash
# Fuzzes every parser that takes outside input with libFuzzer and the address sanitizer
# (leaks included). `make fuzz` runs each target for 1,000,000 inputs; `make test` runs each for
# a few seconds. Seeds are in Tests/Fuzz/corpus/TARGET; what libFuzzer learns is kept in
# .run/fuzz/corpus, and a crashing input in .run/fuzz/artifacts (turn it into a regression test).
#
#   scripts/fuzz.sh [--runs N | --seconds S] [TARGET…]
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
runs=1000000
seconds=""
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        *) break ;;
    esac
done
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(addresses account-names checkpassword nginx-headers decide-json form-bodies config-file durations app-passwords imports api-json)
fi

# SwiftPM's own sanitizer flags: it then links libFuzzer's main instead of the target's.
$SWIFT build --sanitize fuzzer --sanitize address --scratch-path .build-fuzz --product clientpass-fuzz >&2
bin="$($SWIFT build --sanitize fuzzer --sanitize address --scratch-path .build-fuzz --show-bin-path)/clientpass-fuzz"

mkdir -p .run/fuzz/artifacts
failed=0
printf '%-15s %10s %8s  %s\n' TARGET INPUTS SECONDS RESULT
for target in "${targets[@]}"; do
    seeds="Tests/Fuzz/corpus/$target"
    [ -d "$seeds" ] || { echo "no seed corpus for $target at $seeds" >&2; exit 64; }
    work=".run/fuzz/corpus/$target"
    mkdir -p "$work"
    log=".run/fuzz/$target.log"
    limit=(-runs="$runs")
    [ -n "$seconds" ] && limit=(-max_total_time="$seconds")
    set +e
    CLIENTPASS_FUZZ_TARGET="$target" ASAN_OPTIONS=detect_leaks=1 "$bin" "${limit[@]}" -max_len=4096 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=".run/fuzz/artifacts/$target-" "$work" "$seeds" > "$log" 2>&1
    status=$?
    set -e
    inputs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    elapsed=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    if [ $status -eq 0 ]; then
        result=ok
    else
        result="FAILED (exit $status): see $log and .run/fuzz/artifacts/"
        failed=1
        grep -m 5 -E "ERROR|Fatal error|property violated|timeout|leak" "$log" >&2 || true
    fi
    printf '%-15s %10s %8s  %s\n' "$target" "${inputs:-?}" "${elapsed:-?}" "$result"
done
if [ $failed -eq 0 ]; then echo "fuzzing: ${#targets[@]} targets, no problem found"; else echo "fuzzing found a problem"; fi
exit $failed
