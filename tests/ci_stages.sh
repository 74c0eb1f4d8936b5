#!/usr/bin/env bash
# The reliability stages of CI (.ci/run runs them after ./setup.sh test); each also works alone.
#
#   tests/ci_stages.sh asan            ASan + UBSan build (preset asan) and the whole ctest suite
#   tests/ci_stages.sh tsan            ThreadSanitizer build (preset tsan) and the whole ctest suite
#   tests/ci_stages.sh fuzz [SECONDS]  clang libFuzzer build (preset fuzz): replay the seeds and
#                                      regression inputs, then run every fuzzer for SECONDS (60)
#
# Build directories: build-asan, build-tsan, build-fuzz (git-ignored). Environment: JOBS
# (default: all cores). Exits non-zero on any failure, sanitizer report or fuzzer finding.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="${JOBS:-$(nproc)}"
cd "$here"

# The same options as the test presets in CMakePresets.json, for running ctest by hand too.
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:handle_abort=1:print_stacktrace=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$here/tests/tsan.supp}"

# The sanitized builds leave MPI out (and with it e2e_mpi): Open MPI keeps allocations until exit,
# which LeakSanitizer would report, and its internal synchronisation is invisible to TSan.
sanitized_suite() {
    local preset="$1"
    cmake --preset "$preset" -DCOHORTSIM_MPI=OFF >/dev/null
    cmake --build --preset "$preset" -j "$jobs"
    ctest --preset "$preset" -j "$jobs"
}

fuzz() {
    local seconds="${1:-60}"
    if ! command -v clang++ >/dev/null; then
        echo "ci_stages: fuzz needs clang++ and libclang-rt-14-dev (./setup.sh installs them)" >&2
        exit 1
    fi
    cmake --preset fuzz -DCOHORTSIM_MPI=OFF >/dev/null
    local fuzzers=(scenario_loader parse_override fit_csv book_csv)
    cmake --build --preset fuzz -j "$jobs" --target "${fuzzers[@]/#/fuzz_}"
    ctest --preset fuzz -j "$jobs"  # every seed and past crash once

    # The fuzzers run side by side (two per core). New corpus entries go to the first directory
    # (in the build tree; it persists between runs and makes later runs start further); the seed
    # directories in the source tree are only read. Each runs in its own directory, against
    # which a fuzzed `extends = "..."` resolves: the links there give it real bases to load.
    local pids=() name
    for name in "${fuzzers[@]}"; do
        local dir="$here/build-fuzz/fuzz-runs/$name"
        mkdir -p "$dir/corpus" "$dir/artifacts"
        ln -sfn "$here/scenarios/baseline.toml" "$dir/baseline.toml"
        ln -sfn "$here/tests/data/good_scenarios/bases" "$dir/bases"
        local seeds=()
        mapfile -t seeds <"build-fuzz/tests/fuzz/fuzz_$name.seeds"
        # The TOML dictionary helps the scenario fuzzers only.
        local dict=()
        [[ "$name" == *_csv ]] || dict=(-dict="$here/tests/fuzz/scenario.dict")
        # -timeout: an input taking 10 s is a hang; -max_len: the inputs are a few KiB;
        # -print_final_stats: executions and coverage for the log.
        (cd "$dir" && exec "$here/build-fuzz/tests/fuzz/fuzz_$name" -max_total_time="$seconds" \
            -timeout=10 -max_len=8192 -rss_limit_mb=1024 -print_final_stats=1 \
            "${dict[@]}" -artifact_prefix="$dir/artifacts/" \
            "$dir/corpus" "${seeds[@]}" >"$dir/log" 2>&1) &
        pids+=($!)
    done
    local status=0 i
    for i in "${!fuzzers[@]}"; do
        name="${fuzzers[$i]}"
        local dir="$here/build-fuzz/fuzz-runs/$name"
        if wait "${pids[$i]}"; then
            # The last status line has coverage (cov: edges, ft: features) and the corpus size.
            local last runs
            last="$(grep -E '^#[0-9]+' "$dir/log" | tail -n 1 || true)"
            runs="$(grep -E '^stat::number_of_executed_units' "$dir/log" | awk '{print $2}')"
            echo "fuzz_$name: ok, $runs executions in ${seconds} s; last: $last"
        else
            status=1
            echo "fuzz_$name: FAILED; log $dir/log, input(s) in $dir/artifacts:" >&2
            ls "$dir/artifacts" >&2 || true
            grep -E -A 40 'ERROR|==[0-9]+==|fuzz_[a-z_]+: ' "$dir/log" | head -n 80 >&2 || true
            echo "reproduce: cd $dir && $here/build-fuzz/tests/fuzz/fuzz_$name <input>; keep" \
                "the input as a regression in tests/fuzz/regressions/$name/" >&2
        fi
    done
    return "$status"
}

case "${1:-}" in
    asan) sanitized_suite asan ;;
    tsan) sanitized_suite tsan ;;
    fuzz) fuzz "${2:-60}" ;;
    *)
        echo "usage: tests/ci_stages.sh asan|tsan|fuzz [SECONDS]" >&2
        exit 2
        ;;
esac
