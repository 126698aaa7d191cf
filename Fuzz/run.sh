#!/usr/bin/env bash
# Builds the fuzz package with libFuzzer and AddressSanitizer and runs each fuzz target for SECONDS (default 60).
#
#   Fuzz/run.sh [SECONDS] [TARGET...]     targets: policy-parser evaluator saml-reader scim-reader case-file
#
# Each target starts from its seed corpus in Fuzz/Corpus/<target>/ (read only) and keeps what it finds in
# Fuzz/.work/corpus/<target>/ (not tracked). A crash, a hang (-timeout=2 s per input) or memory over 2 GiB
# (-rss_limit_mb=2048) stops the run; the input is saved in Fuzz/.work/artifacts/ and the script exits non-zero.
# Extra libFuzzer flags can be given in FUZZ_FLAGS (for example FUZZ_FLAGS="-runs=100000").
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-60}"
if [ "$#" -gt 0 ]; then shift; fi
all=(policy-parser evaluator saml-reader scim-reader case-file)
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then targets=("${all[@]}"); fi
for target in "${targets[@]}"; do
  case " ${all[*]} " in *" $target "*) ;; *) echo "run.sh: unknown target \`$target\` (one of: ${all[*]})" >&2; exit 64 ;; esac
done

mkdir -p .work/artifacts
echo "== building the fuzz targets (release, -sanitize=fuzzer,address)"
if ! nice -n 19 swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library > .work/build.log 2>&1; then
  grep -E "error:" .work/build.log >&2 || tail -n 40 .work/build.log >&2
  echo "run.sh: the fuzz build failed (full log: Fuzz/.work/build.log)" >&2
  exit 1
fi
bin="$(swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --show-bin-path)"

dictionary() {
  case "$1" in
    policy-parser|evaluator|case-file) echo Dictionaries/policy.dict ;;
    saml-reader) echo Dictionaries/saml.dict ;;
    scim-reader) echo Dictionaries/scim.dict ;;
  esac
}

# Swift's runtime keeps metadata caches for the life of the process, which LeakSanitizer would report.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}"
# Swift's own crash backtracer would run inside the sanitizer's crash path; libFuzzer reports crashes itself.
export SWIFT_BACKTRACE="enable=no"
failed=()
for target in "${targets[@]}"; do
  mkdir -p ".work/corpus/$target"
  echo "== $target: ${seconds}s"
  log=".work/$target.log"
  # shellcheck disable=SC2086
  if nice -n 19 "$bin/$target" ".work/corpus/$target" "Corpus/$target" \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=2 -max_len=1048576 \
      -dict="$(dictionary "$target")" -artifact_prefix=".work/artifacts/$target-" \
      -print_final_stats=1 ${FUZZ_FLAGS:-} > "$log" 2>&1; then
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|Done [0-9]+ runs" "$log" | tr '\n' ' '
    grep -E "cov: [0-9]+" "$log" | tail -n 1
    echo
  else
    echo "run.sh: $target FAILED; its log follows (saved in Fuzz/.work/$target.log)" >&2
    tail -n 60 "$log" >&2
    failed+=("$target")
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "run.sh: failing targets: ${failed[*]}; reproduce with: Fuzz/.build/release/<target> Fuzz/.work/artifacts/<file>" >&2
  exit 1
fi
echo "run.sh: every target ran ${seconds}s without a finding"
