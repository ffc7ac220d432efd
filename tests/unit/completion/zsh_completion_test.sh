#!/bin/sh
# $1: the rdpdoctor binary. Writes its zsh completion, lets compinit register it, loads it (a
# syntax error fails there), then runs it at the verb position and after "connect --" with
# _describe and _arguments replaced by printers of what they were given to offer.
set -eu
bin=$1
command -v zsh >/dev/null 2>&1 || { echo "zsh is not installed"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" --zsh-completion >"$dir/_rdpdoctor"
zsh -f -c '
  fpath=("$1" $fpath)
  autoload -Uz compinit && compinit -u -d "$1/.zcompdump"
  [[ $_comps[rdpdoctor] == _rdpdoctor ]] || { print "compinit did not register _rdpdoctor"; exit 1 }
  autoload -Uz +X _rdpdoctor || { print "_rdpdoctor does not load"; exit 1 }
  _describe() { print -l -- "VERBS" ${(P)${@[-1]}} }
  _arguments() { print -l -- "ARGS" "$@" }
  words=(rdpdoctor "") CURRENT=2 _rdpdoctor
  words=(rdpdoctor connect --) CURRENT=3 _rdpdoctor
' zsh "$dir" >"$dir/out" 2>&1 || { cat "$dir/out"; exit 1; }
fail=0
for verb in connect diagnose probe explain scan hosts; do
  grep -q "^$verb:" "$dir/out" || { echo "verb $verb not offered"; fail=1; }
done
for opt in '--headless\[' '--security\[.*:value:(' '--cert\[' '--json\[.*:file:_files' '\*:host:_rdpdoctor_targets'; do
  grep -q -- "^$opt" "$dir/out" || { echo "connect: $opt not offered"; fail=1; }
done
[ "$fail" = 0 ] || cat "$dir/out"
exit "$fail"
