#!/usr/bin/env bash
# Builds build/deb/rdpdoctor_<version>_<arch>.deb from this tree with debhelper (compat 13, dh):
# dpkg-buildflags hardening, dependencies computed by dpkg-shlibdeps, no test run (nocheck), then
# lintian (no errors allowed). The FreeRDP major is the one the tree builds with; pass
# RDPDOCTOR_FREERDP=2 or 3 to choose (it goes to CMake as -DRDPDOCTOR_FREERDP=...).
# Usage: packaging/build-deb.sh   (prints the path of the .deb on its last line)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/build/deb"
src="$out/src"
version="$(sed -n 's/^project(rdpdoctor VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"
[ -n "$version" ] || { echo "build-deb: no version in CMakeLists.txt" >&2; exit 2; }

# a clean copy of the tree (no build directories), with packaging/debian as debian/
rm -rf "$src"
mkdir -p "$src"
for d in CMakeLists.txt client diag third_party tests packaging README.md; do
  [ -e "$root/$d" ] && cp -a "$root/$d" "$src/"
done
cp -a "$root/packaging/debian" "$src/debian"
cat > "$src/debian/changelog" <<CHANGELOG
rdpdoctor ($version) unstable; urgency=medium

  * Package built from the rdpdoctor tree.

 -- rdpdoctor maintainers <maintainers@users.noreply.b-seed-a1b3d2c6.example>  $(date -R)
CHANGELOG

cmake_args=""
if command -v ccache >/dev/null 2>&1; then
  cmake_args="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache"
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}" CCACHE_NOHASHDIR=1
fi
if [ -n "${RDPDOCTOR_FREERDP:-}" ]; then
  cmake_args="$cmake_args -DRDPDOCTOR_FREERDP=$RDPDOCTOR_FREERDP"
fi
export RDPDOCTOR_CMAKE_ARGS="$cmake_args"
export DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)"

(cd "$src" && dpkg-buildpackage -b -us -uc)
arch="$(dpkg --print-architecture)"
deb="$out/rdpdoctor_${version}_${arch}.deb"
[ -f "$deb" ] || { echo "build-deb: $deb was not built" >&2; exit 1; }

# lintian: errors fail the build (it reports no warning on this package today; explain any kept)
if command -v lintian >/dev/null 2>&1; then
  lintian --fail-on error "$deb"
fi
echo "$deb"
