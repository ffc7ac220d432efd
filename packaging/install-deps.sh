#!/usr/bin/env bash
# Installs every build, test and lab dependency of rdpdoctor from Debian 12's packages.
# Idempotent: packages already present are not reinstalled. Must run as root (or via sudo).
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config
  freerdp2-dev libsdl2-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libcli11-dev libssl-dev
  libgtest-dev libgmock-dev
  # fuzzing (clang's libFuzzer and sanitizer runtimes)
  clang libclang-rt-14-dev
  # lab servers and peers for tests and benchmarks
  xrdp xorgxrdp freerdp2-x11 freerdp2-shadow-x11 winpr-utils xvfb x11-xserver-utils xterm
  xdotool xclip imagemagick nmap openssl procps iproute2 time libnss-wrapper
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

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: done"
