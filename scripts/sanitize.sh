#!/usr/bin/env bash
# The sanitizer jobs (docs/RELIABILITY.md), each in a build directory of its own:
#   scripts/sanitize.sh asan BUILD   ASan + UBSan over the whole test suite (the binary the CLI and
#                                    server tests start is instrumented too)
#   scripts/sanitize.sh tsan BUILD   TSan over the server, store and batch-screening tests
# BUILD must be configured by the Makefile (make sanitize-asan / sanitize-tsan). Any report, from the
# test binary or from a `clearance` process a test started, fails the job: reports go to
# BUILD/sanitizer-logs/ and are printed at the end.
set -euo pipefail
kind=$1
build=$2
jobs=${JOBS:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
logs=$(cd "$build" && pwd)/sanitizer-logs
rm -rf "$logs"
mkdir -p "$logs"

# The tests TSan runs: the TSan build compiles only tests/server, tests/store and tests/match (the
# Makefile sets CLEARANCE_TEST_DIRS), and runs all of them but the matching-quality evaluation
# (EvalTest, one thread over the real lists) and the Chromium page test (WebPage).
tsan_skip='^(EvalTest|WebPage)\.'

filter=()
case $kind in
  asan)
    export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:log_path=$logs/asan"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan"
    export LSAN_OPTIONS="suppressions=$root/.ci/lsan.supp:print_suppressions=0"
    ;;
  tsan)
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$logs/tsan:suppressions=$root/.ci/tsan.supp"
    filter=(-E "$tsan_skip")
    ;;
  *)
    echo "usage: $0 asan|tsan BUILD" >&2
    exit 2
    ;;
esac

start=$(date +%s)
cmake --build "$build" -j "$jobs" --target clearance clearance_tests
built=$(date +%s)
status=0
(cd "$build" && ctest -j "$jobs" --output-on-failure "${filter[@]}") || status=$?
done_at=$(date +%s)
echo "sanitize $kind: build $((built - start)) s, tests $((done_at - built)) s"
if compgen -G "$logs/*" >/dev/null; then
  for f in "$logs"/*; do
    echo "=== $f"
    head -c 20000 "$f"
  done
  echo "sanitize $kind: sanitizer reports above" >&2
  exit 1
fi
exit $status
