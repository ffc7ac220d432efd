#!/usr/bin/env bash
# Builds build/deb/rdpdoctor_<version>_<arch>.deb from this tree with debhelper (compat 13, dh):
# dpkg-buildflags hardening, dependencies computed by dpkg-shlibdeps, no test run (nocheck), then
# lintian (no errors allowed). The FreeRDP major is the one the tree builds with; pass
# RDPDOCTOR_FREERDP=2 or 3 to choose (it goes to CMake as -DRDPDOCTOR_FREERDP=...).
# Usage: packaging/build-deb.sh   (prints the path of the .deb on its last line)
#        packaging/build-deb.sh --cmake-flags   (prints, one a line, the CMake options that make a
#        test tree compile exactly as the package does: the same dpkg-buildflags, build type None and
#        install dirs, so with ccache the package build is cache hits plus links; tests/run.sh uses it)
# RDPDOCTOR_WERROR=1 keeps -Werror in the package build (as the test trees have it; CI sets it).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/build/deb"
src="$out/src"

if [ "${1:-}" = --cmake-flags ]; then
  # what dh (debhelper compat 13, cmake buildsystem) passes; dpkg-buildflags' -ffile-prefix-map names
  # its working directory, so it is asked in $src, where the package builds
  mkdir -p "$src"
  # debian/rules' DEB_*_MAINT_* settings (hardening, -O3), as make exports them to dpkg-buildflags
  eval "$(sed -n 's/^export \(DEB_[A-Z_]*MAINT_[A-Z_]*\) = \(.*\)$/export \1="\2"/p' "$root/packaging/debian/rules")"
  eval "$(cd "$src" && dpkg-buildflags --export=sh)"
  printf '%s\n' -DCMAKE_BUILD_TYPE=None -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_INSTALL_SYSCONFDIR=/etc \
    -DCMAKE_INSTALL_LOCALSTATEDIR=/var -DCMAKE_INSTALL_RUNSTATEDIR=/run \
    "-DCMAKE_INSTALL_LIBDIR=lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)" \
    "-DCMAKE_C_FLAGS=$CFLAGS $CPPFLAGS" "-DCMAKE_CXX_FLAGS=$CXXFLAGS $CPPFLAGS" \
    "-DCMAKE_EXE_LINKER_FLAGS=$LDFLAGS" "-DCMAKE_SHARED_LINKER_FLAGS=$LDFLAGS" \
    "-DCMAKE_MODULE_LINKER_FLAGS=$LDFLAGS"
  exit 0
fi
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
  # debhelper (compat 13) runs the build with HOME set to a fresh directory under debian/, which
  # would give ccache an empty cache of its own: name the user's cache directory explicitly
  CCACHE_DIR="${CCACHE_DIR:-$(ccache -k cache_dir)}"
  export CCACHE_DIR
fi
if [ -n "${RDPDOCTOR_WERROR:-}" ]; then
  cmake_args="$cmake_args -DRDPDOCTOR_WERROR=ON"
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
