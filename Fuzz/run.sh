#!/usr/bin/env bash
# Builds the fuzz package with libFuzzer and AddressSanitizer and runs each fuzz target for SECONDS (default 60).
#
#   Fuzz/run.sh [SECONDS] [TARGET...]     targets: policy-parser evaluator saml-reader scim-reader case-file organization yaml-reader
#
# Each target starts from its seed corpus in Fuzz/Corpus/<target>/ (read only) and keeps what it finds in
# Fuzz/.work/corpus/<target>/ (not tracked). A crash, an input slower than 2 s (-timeout=2) or memory over 2 GiB
# (-rss_limit_mb=2048) stops the target; the input is saved in Fuzz/.work/artifacts/ and the script exits 1.
#
# The 2 s limit is wall-clock time and the fuzzers run at nice 19 on a shared machine, so a timeout is replayed
# before it counts: if the input then runs within the limit, the timeout was the machine's, not the input's; it
# is moved to Fuzz/.work/artifacts/spurious/ and fuzzing resumes for the rest of the time.
# Extra libFuzzer flags can be given in FUZZ_FLAGS (for example FUZZ_FLAGS="-runs=10000000").
set -uo pipefail
cd "$(dirname "$0")"

seconds="${1:-60}"
if [ "$#" -gt 0 ]; then shift; fi
all=(policy-parser evaluator saml-reader scim-reader case-file organization yaml-reader)
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then targets=("${all[@]}"); fi
for target in "${targets[@]}"; do
  case " ${all[*]} " in *" $target "*) ;; *) echo "run.sh: unknown target \`$target\` (one of: ${all[*]})" >&2; exit 64 ;; esac
done

mkdir -p .work/artifacts/spurious
echo "== building the fuzz targets (release, -sanitize=fuzzer,address)"
flags=(-c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
if ! nice -n 19 swift build "${flags[@]}" > .work/build.log 2>&1; then
  grep -E "error:" .work/build.log >&2 || tail -n 40 .work/build.log >&2
  echo "run.sh: the fuzz build failed (full log: Fuzz/.work/build.log)" >&2
  exit 1
fi
bin="$(swift build "${flags[@]}" --show-bin-path)"

dictionary() {
  case "$1" in
    policy-parser|evaluator|case-file|organization) echo Dictionaries/policy.dict ;;
    saml-reader) echo Dictionaries/saml.dict ;;
    scim-reader) echo Dictionaries/scim.dict ;;
    yaml-reader) echo Dictionaries/yaml.dict ;;
  esac
}

# Swift's runtime keeps metadata caches for the life of the process, which LeakSanitizer would report.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}"
# Swift's own crash backtracer would run inside the sanitizer's crash path; libFuzzer reports crashes itself.
export SWIFT_BACKTRACE="enable=no"

# Runs one target until its time is up; returns 1 on a finding that replays.
fuzz() {
  local target="$1" log=".work/$1.log" deadline=$(( $(date +%s) + seconds )) status artifact
  : > "$log"
  while :; do
    local remaining=$(( deadline - $(date +%s) ))
    [ "$remaining" -gt 0 ] || return 0
    # shellcheck disable=SC2086
    nice -n 19 "$bin/$target" ".work/corpus/$target" "Corpus/$target" \
      -max_total_time="$remaining" -rss_limit_mb=2048 -timeout=2 -max_len=1048576 \
      -dict="$(dictionary "$target")" -artifact_prefix=".work/artifacts/$target-" \
      -print_final_stats=1 ${FUZZ_FLAGS:-} >> "$log" 2>&1
    status=$?
    [ "$status" -eq 0 ] && return 0
    artifact="$(ls -t .work/artifacts/"$target"-* 2>/dev/null | head -n 1)"
    case "$artifact" in
      *-timeout-*)
        # Up to three replays: one within the limit shows the input is not slow.
        for attempt in 1 2 3; do
          if nice -n 19 "$bin/$target" -timeout=2 -rss_limit_mb=2048 "$artifact" > "$artifact.replay.log" 2>&1; then
            echo "   $target: a timeout that replays within 2 s (the machine was busy); resuming"
            mv "$artifact" "$artifact.replay.log" .work/artifacts/spurious/
            continue 2
          fi
          sleep 5
        done ;;
    esac
    return 1
  done
}

failed=()
for target in "${targets[@]}"; do
  mkdir -p ".work/corpus/$target"
  echo "== $target: ${seconds}s"
  if fuzz "$target"; then
    runs=$(grep -oE "^stat::number_of_executed_units: *[0-9]+" ".work/$target.log" | grep -oE "[0-9]+$" | awk "{ s += \$1 } END { print s }")
    echo "   executions: ${runs:-0}; $(grep -E "cov: [0-9]+" ".work/$target.log" | tail -n 1 | grep -oE "cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9A-Za-z]+")"
  else
    echo "run.sh: $target FAILED; its log follows (saved in Fuzz/.work/$target.log)" >&2
    tail -n 60 ".work/$target.log" >&2
    failed+=("$target")
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "run.sh: failing targets: ${failed[*]}; reproduce with: Fuzz/.build/release/<target> Fuzz/.work/artifacts/<file>" >&2
  exit 1
fi
echo "run.sh: every target ran ${seconds}s without a finding"
