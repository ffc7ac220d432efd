#!/usr/bin/env bash
# Installs every build, test and lab dependency of rdpdoctor from Debian 12's packages.
# Idempotent: packages already present are not reinstalled. Must run as root (or via sudo).
# FreeRDP 3 (the default build) comes from the distribution's main archive where it is there
# (Debian 13, Ubuntu 24.04); on Debian 12 from bookworm-backports, enabled here for the freerdp3
# source package only (an apt pin), said so when it does. FreeRDP 2.11 stays, for the second build.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config ccache
  freerdp2-dev libsdl2-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libcli11-dev libssl-dev
  zlib1g-dev
  # the probe's event loop: standalone Asio (header-only), C++20 coroutines
  libasio-dev
  # the session process's windows without a terminal (credentials, error box) and the keyring
  libsdl2-ttf-dev fonts-dejavu-core libsecret-1-dev
  libgtest-dev libgmock-dev
  # fuzzing (clang's libFuzzer and sanitizer runtimes)
  clang libclang-rt-14-dev
  # lab servers and peers for tests and benchmarks
  xrdp xorgxrdp freerdp2-x11 freerdp2-shadow-x11 winpr-utils xvfb x11-xserver-utils xterm
  xdotool xclip imagemagick nmap openssl procps iproute2 time libnss-wrapper
  # the bundle test reads the synthesised capture and decrypts it with its key log
  tshark
  # the credentials window's keyring test (a real Secret Service) and the zsh completion test
  gnome-keyring libsecret-tools dbus zsh
  # benchmark drivers
  python3
  # core X fonts: SDL's message box (the certificate question) needs one on Xvfb
  xfonts-base
  # the HTML report's test renders it in a headless browser
  chromium
  # the Debian package (packaging/build-deb.sh) and its test (ctest -L package)
  debhelper dpkg-dev fakeroot lintian desktop-file-utils shared-mime-info xdg-utils
  libfile-mimeinfo-perl man-db
)

# FreeRDP 3: the library and headers, and its clients and shadow server as peers and lab servers
FREERDP3_PACKAGES=(freerdp3-dev freerdp3-x11 freerdp3-sdl freerdp3-shadow-x11)
BACKPORTS_SOURCES=/etc/apt/sources.list.d/bookworm-backports.sources
BACKPORTS_PIN=/etc/apt/preferences.d/rdpdoctor-freerdp3-backports

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# a version apt would install
has_candidate() {
  apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}' | grep -qv '(none)'
}

# Debian 12 only: bookworm-backports for the freerdp3 source package's binaries, nothing else
# (backports' own priority, 100, keeps every other package on bookworm's version).
enable_bookworm_backports() {
  local os="" codename=""
  if [ -r /etc/os-release ]; then
    # shellcheck disable=SC1091
    os=$(. /etc/os-release && echo "${ID:-}")
    # shellcheck disable=SC1091
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  fi
  [ "$os" = "debian" ] && [ "$codename" = "bookworm" ] || return 1
  [ -n "$SUDO" ] || [ "$(id -u)" -eq 0 ] || {
    echo "install-deps: need root to enable bookworm-backports for FreeRDP 3" >&2
    return 1
  }
  local changed=0
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "install-deps: enabling bookworm-backports ($BACKPORTS_SOURCES) for FreeRDP 3"
    printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm-backports' \
      'Components: main' 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' |
      $SUDO tee "$BACKPORTS_SOURCES" >/dev/null
    changed=1
  fi
  if [ ! -f "$BACKPORTS_PIN" ]; then
    echo "install-deps: pinning only the freerdp3 packages to bookworm-backports ($BACKPORTS_PIN)"
    printf '%s\n' '# rdpdoctor: FreeRDP 3 from bookworm-backports; every other package stays on bookworm' \
      'Package: src:freerdp3' 'Pin: release n=bookworm-backports' 'Pin-Priority: 500' |
      $SUDO tee "$BACKPORTS_PIN" >/dev/null
    changed=1
  fi
  if [ "$changed" -eq 1 ]; then $SUDO apt-get update -q; fi
  return 0
}

freerdp3_missing=0
for p in "${FREERDP3_PACKAGES[@]}"; do installed "$p" || freerdp3_missing=1; done
if [ "$freerdp3_missing" -eq 0 ]; then
  PACKAGES+=("${FREERDP3_PACKAGES[@]}")
else
  # Debian 12's main archive has no FreeRDP 3: backports, pinned (elsewhere: the main archive)
  if enable_bookworm_backports; then
    echo "install-deps: FreeRDP 3 comes from bookworm-backports (pinned to the freerdp3 packages)"
  fi
  if has_candidate freerdp3-dev; then
    PACKAGES+=("${FREERDP3_PACKAGES[@]}")
  else
    echo "install-deps: FreeRDP 3 is not available here: the build uses FreeRDP 2.11 (RDPDOCTOR_FREERDP=auto)" >&2
  fi
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
  echo "install-deps: need root to install: ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: done"
