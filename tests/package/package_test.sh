#!/usr/bin/env bash
# The Debian package as a user gets it (ctest label `package`; needs root): build it
# (packaging/build-deb.sh, lintian without errors), `apt-get install ./...deb`, run the installed
# /usr/bin/rdpdoctor against a lab host (legacy TLS 1.0 xrdp), check the man page, the bash
# completion, the desktop entry and the .rdp MIME type, then remove it and check nothing is left.
# Usage: package_test.sh RDPDOCTOR_LAB_CLI [FREERDP_MAJOR]
set -euo pipefail
lab_cli="$1"
major="${2:-}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
lab_pid=""
cleanup() {
  [ -n "$lab_pid" ] && kill "$lab_pid" 2>/dev/null && wait "$lab_pid" 2>/dev/null
  dpkg -s rdpdoctor >/dev/null 2>&1 && apt-get purge -y rdpdoctor >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "package_test: FAIL: $*" >&2; exit 1; }
step() { echo "package_test: $*"; }

[ "$(id -u)" -eq 0 ] || fail "needs root (apt-get install)"
# RDPDOCTOR_DEB: a package packaging/build-deb.sh built already (skips the build)
if [ -n "${RDPDOCTOR_DEB:-}" ]; then
  deb="$RDPDOCTOR_DEB"
else
  step "building the package"
  deb="$(RDPDOCTOR_FREERDP="$major" "$root/packaging/build-deb.sh" | tail -n 1)"
fi
[ -f "$deb" ] || fail "no package built"
case "$(basename "$deb")" in rdpdoctor_*_"$(dpkg --print-architecture)".deb) ;; *) fail "name $deb" ;; esac
depends="$(dpkg-deb -f "$deb" Depends)"
grep -q "libfreerdp" <<<"$depends" || fail "Depends computed without FreeRDP: $depends"
if [ -n "$major" ]; then  # the FreeRDP major this tree builds with, in the computed Depends
  for lib in "libfreerdp$major" "libwinpr$major"; do
    grep -qE "(^|[ ,])$lib[^ ,]* " <<<"$depends" || fail "Depends lacks $lib: $depends"
  done
fi

step "installing $deb"
DEBIAN_FRONTEND=noninteractive apt-get install -y "$(realpath "$deb")" >"$work/apt.log" 2>&1 ||
  { cat "$work/apt.log" >&2; fail "apt-get install"; }
[ -x /usr/bin/rdpdoctor ] || fail "/usr/bin/rdpdoctor missing"
grep -q "^rdpdoctor " <<<"$(/usr/bin/rdpdoctor --version)" || fail "--version"
# the process split as installed: the front maps neither FreeRDP nor SDL; the window's program
# neither libsecret nor SDL2_ttf (those are rdpdoctor-forms', which maps no FreeRDP)
libs() { ldd "$1" | awk '{print $1}'; }
for p in rdpdoctor-session rdpdoctor-attempt rdpdoctor-forms; do
  [ -x "/usr/libexec/rdpdoctor/$p" ] || fail "/usr/libexec/rdpdoctor/$p missing"
done
! libs /usr/bin/rdpdoctor | grep -qE "libfreerdp|libSDL2" || fail "the front maps FreeRDP or SDL"
! libs /usr/libexec/rdpdoctor/rdpdoctor-session | grep -qE "libsecret|libSDL2_ttf" ||
  fail "the window's process maps libsecret or SDL2_ttf"
! libs /usr/libexec/rdpdoctor/rdpdoctor-forms | grep -q "libfreerdp" || fail "rdpdoctor-forms maps FreeRDP"

step "the installed binary against a lab host"
mkfifo "$work/ready"
"$lab_cli" xrdp-tls10-ecdhe >"$work/ready" 2>"$work/lab.err" &
lab_pid=$!
read -r -t 60 word host <"$work/ready" || fail "lab server did not start: $(cat "$work/lab.err")"
[ "$word" = READY ] || fail "lab server: $word $host"
export HOME="$work/home" XDG_STATE_HOME="$work/state"
mkdir -p "$HOME" "$XDG_STATE_HOME"
/usr/bin/rdpdoctor diagnose "$host" --cert tofu >"$work/diag.out" 2>&1 ||
  { cat "$work/diag.out" >&2; fail "diagnose $host"; }
grep -qxF "$host" <<<"$(/usr/bin/rdpdoctor hosts --names)" || fail "the winner of $host was not remembered"
/usr/bin/rdpdoctor connect --headless "$host" >"$work/connect.out" 2>&1 ||
  { cat "$work/connect.out" >&2; fail "connect $host"; }

step "man page"
grep -q "^/usr/share/man/man1/rdpdoctor.1" <<<"$(man -w rdpdoctor)" || fail "man -w: $(man -w rdpdoctor)"
page="$(MANWIDTH=100 man -P cat rdpdoctor 2>/dev/null)"
for needle in "rdpdoctor connect" "rdpdoctor diagnose" "rdpdoctor probe" "rdpdoctor hosts forget" \
  "--min-security" "--save-rdp" "EXIT STATUS" "internal error" "RDPDOCTOR_PASSWORD" "hosts.json"; do
  grep -qF -- "$needle" <<<"$page" || fail "man page lacks '$needle'"
done

step "bash completion"
comp=/usr/share/bash-completion/completions/rdpdoctor
[ -f "$comp" ] || fail "$comp missing"
complete_words() {  # the words bash would offer for the command line "$@" (last word: being typed)
  (cd "$work" && bash -c 'source "$0"; COMP_WORDS=("${@}"); COMP_CWORD=$(( $# - 1 )); _rdpdoctor;
     printf "%s\n" "${COMPREPLY[@]}"' "$comp" "$@")
}
offers() {  # offers WORD ARGS...: bash offers WORD for the command line ARGS (no SIGPIPE race)
  local want="$1" got
  shift
  got="$(complete_words "$@")"
  grep -qxF -- "$want" <<<"$got"
}
touch "$work/office.rdp"
offers hosts rdpdoctor "" || fail "verbs not completed"
offers --security rdpdoctor connect --sec || fail "options not completed"
offers nla-ext rdpdoctor connect --security "" || fail "--security values"
offers tofu rdpdoctor diagnose --cert "" || fail "--cert values"
offers office.rdp rdpdoctor connect off || fail ".rdp files not completed"
offers "$host" rdpdoctor connect "" || fail "remembered hosts not completed"

step "desktop entry and MIME type"
desktop-file-validate /usr/share/applications/rdpdoctor.desktop || fail "desktop-file-validate"
grep -qx "MimeType=application/x-rdp;" /usr/share/applications/rdpdoctor.desktop || fail "MimeType"
[ -f /usr/share/icons/hicolor/scalable/apps/rdpdoctor.svg ] || fail "icon"
printf 'full address:s:%s\r\n' "$host" >"$work/x.rdp"
type="$(cd "$work" && XDG_CURRENT_DESKTOP= xdg-mime query filetype x.rdp)"
[ "$type" = application/x-rdp ] || fail "xdg-mime query filetype x.rdp: $type"

step "removing (purge)"
apt-get purge -y rdpdoctor >"$work/remove.log" 2>&1 || { cat "$work/remove.log" >&2; fail "purge"; }
! dpkg -s rdpdoctor >/dev/null 2>&1 || fail "rdpdoctor still known to dpkg after purge"
for f in /usr/bin/rdpdoctor /usr/libexec/rdpdoctor /usr/share/man/man1/rdpdoctor.1.gz "$comp" \
  /usr/share/applications/rdpdoctor.desktop /usr/share/mime/packages/rdpdoctor.xml \
  /usr/share/icons/hicolor/scalable/apps/rdpdoctor.svg /usr/share/doc/rdpdoctor; do
  [ ! -e "$f" ] || fail "$f left after removal"
done
type="$(cd "$work" && XDG_CURRENT_DESKTOP= xdg-mime query filetype x.rdp)"
[ "$type" != application/x-rdp ] || fail "application/x-rdp still registered after removal"
echo "package_test: 1 passed, 0 failed"
