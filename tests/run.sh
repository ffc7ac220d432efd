#!/usr/bin/env bash
# The test command (README): installs what it needs, builds Release and an ASan+UBSan build with
# FreeRDP 3 and a Release build with FreeRDP 2.11 (build/fr2), runs every CTest label in the first
# two (unit, fuzz, integration, hostile; bench once, in Release) and unit, integration and hostile
# in the FreeRDP 2.11 one; then builds the Debian package (FreeRDP 3), installs it with apt-get, runs
# tests/package/package_test.sh on it and purges it (label package). ccache (default cache dir) makes
# the repeated builds cheap: build/release and build/fr2 are configured with the package's own flags
# (packaging/build-deb.sh --cmake-flags), so the package build is cache hits plus links and the
# FreeRDP 2.11 tree recompiles only what depends on FreeRDP.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)

step() { printf '\n=== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

step "installing dependencies"
if [ "$(id -u)" -eq 0 ]; then bash packaging/install-deps.sh; else sudo bash packaging/install-deps.sh; fi

launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="$root"  # relative paths: the build trees share cache entries
  export CCACHE_NOHASHDIR=1      # -g (all trees) would otherwise put each tree's directory in the hash
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
build() {  # dir, cmake options...
  local dir=$1
  shift
  # LC_ALL as debhelper sets it for the package build: ccache hashes the locale variables, so the
  # package build's compiles are the test trees' cache entries only under the same LC_ALL
  LC_ALL=C.UTF-8 cmake -S . -B "$dir" -G Ninja "${launcher[@]}" "$@" >/dev/null
  LC_ALL=C.UTF-8 ninja -C "$dir" -j"$jobs"
}

# the package's compile flags (dpkg-buildflags hardening, -O2 -g, build type None)
mapfile -t pkgflags < <(bash packaging/build-deb.sh --cmake-flags)
[ "${#pkgflags[@]}" -gt 5 ] || { echo "packaging/build-deb.sh --cmake-flags printed no flags"; exit 1; }

step "building Release (FreeRDP 3, the package's flags)"
build build/release "${pkgflags[@]}" -DRDPDOCTOR_FREERDP=3

step "building ASan+UBSan (FreeRDP 3)"
build build/asan -DCMAKE_BUILD_TYPE=Debug -DRDPDOCTOR_SANITIZE=ON -DRDPDOCTOR_FREERDP=3

# only the test groups its passes run (no fuzz replays, benches, package test)
step "building Release (FreeRDP 2.11, the package's flags)"
build build/fr2 "${pkgflags[@]}" -DRDPDOCTOR_FREERDP=2 "-DRDPDOCTOR_TEST_DIRS=unit;lab;integration;hostile"

step "FreeRDP of each build"
for dir in build/release build/asan build/fr2; do
  echo "$dir: $("$dir/client/app/rdpdoctor" --version)"
done
if command -v ccache >/dev/null 2>&1; then ccache --show-stats 2>/dev/null | grep -iE 'hits|misses' || true; fi

# verify_asan_link_order=0: the address tests preload nss_wrapper into rdpdoctor (a fake resolver)
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:verify_asan_link_order=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizer/lsan.supp:print_suppressions=0"

status=0
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run_ctest() {  # dir, label regex, parallel jobs, extra ctest options (e.g. -V: the benches print their figures)
  step "ctest $1 -L '$2'"
  set +e
  ctest --test-dir "$1" -L "$2" -j"$3" --output-on-failure --timeout 600 ${4:-} 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  [ "$rc" -eq 0 ] || status=1
  # "100% tests passed, 0 tests failed out of 141"
  local line total bad
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
  if [ -z "$line" ]; then echo "no tests ran for label '$2' in $1"; status=1; return; fi
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
  bad=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
  passed=$((passed + total - bad))
  failed=$((failed + bad))
}
run_ctest build/release 'unit|fuzz' "$jobs"
# integration and hostile tests each start their own servers on free loopback ports: two at a time
run_ctest build/release 'integration|hostile' "$jobs"
run_ctest build/asan 'unit|fuzz' "$jobs"
# nss_wrapper (the fake resolver of the two dual-stack address tests) dlopens libc with RTLD_DEEPBIND,
# which sanitizer runtimes cannot host: those two run in the Release pass only
run_ctest build/asan 'integration|hostile' "$jobs" "-E NameWithADeadAddress\.(Ipv4First|Ipv6First)"
run_ctest build/fr2 'unit' "$jobs"
# the FreeRDP 2.11 pass runs every test that starts a session process; the probe, scan, explain and
# lab-tool suites run only the front (which links no FreeRDP: the same code in every build)
run_ctest build/fr2 'integration|hostile' "$jobs" "-E ^(Probe|ProcessSplit|ExplainCli|Scan|LabCli|KindNames|TempDir)"
run_ctest build/release 'bench' 1 -V

# the package: FreeRDP 3 (the default tree), built by dh with -Werror as the test trees
step "building the Debian package (FreeRDP 3)"
set +e
statslog=$(mktemp)
deb=$(CCACHE_STATSLOG="$statslog" RDPDOCTOR_FREERDP=3 RDPDOCTOR_WERROR=1 bash packaging/build-deb.sh | tail -n 1)
rc=$?
set -e
if command -v ccache >/dev/null 2>&1; then
  echo "ccache during the package build:"
  CCACHE_STATSLOG="$statslog" ccache --show-log-stats 2>/dev/null | grep -iE 'hits|misses|direct|preprocessed' || true
fi
rm -f "$statslog"
if [ "$rc" -ne 0 ] || [ ! -f "$deb" ]; then
  echo "the package was not built"
  status=1
  failed=$((failed + 1))
else
  ls -l build/deb/*.deb
  echo "Depends: $(dpkg-deb -f "$deb" Depends)"
  if [ "$(id -u)" -eq 0 ]; then
    RDPDOCTOR_DEB="$deb" run_ctest build/release 'package' 1
  else
    step "ctest build/release -L package (sudo)"
    if sudo env RDPDOCTOR_DEB="$deb" ctest --test-dir build/release -L package --output-on-failure --timeout 900; then
      passed=$((passed + 1))
    else
      status=1
      failed=$((failed + 1))
    fi
  fi
fi

step "all labels done"
echo "tests: $passed passed, $failed failed"
exit $status
