#!/usr/bin/env bash
# Usage: render-man-corpus.sh [--out DIR] [PAGE.SECTION ...]
# Renders manual pages of this machine into plain-text files, DIR/<name>.<section>.txt (default DIR:
# .isthmus/corpus/man at the repository root): the RAG app's corpus. Without pages it renders every
# page of apps/rag/corpus/man-pages.txt. Installs man-db and the Linux manual pages when missing;
# fails, naming the pages and their packages, when a page is not on the machine. Pages already
# rendered are kept (the output of one page is written to a temporary file, then renamed).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
list="$here/../corpus/man-pages.txt"
out="$root/.isthmus/corpus/man"
if [[ ${1-} == --out ]]; then
  out=$2
  shift 2
fi

bash "$here/../../../tools/services/install-debian-packages.sh" man-db manpages manpages-dev

declare -A package_of
while read -r package pages; do
  [[ -z $package || $package == \#* ]] && continue
  for page in $pages; do package_of[$page]=$package; done
done <"$list"

if (($# > 0)); then pages=("$@"); else pages=("${!package_of[@]}"); fi

missing=()
for page in "${pages[@]}"; do
  [[ $page =~ ^[A-Za-z0-9_.+-]+\.[0-9]$ ]] || { echo "render-man-corpus: '$page' is not <name>.<section>" >&2; exit 2; }
  man -w "${page##*.}" "${page%.*}" >/dev/null 2>&1 || missing+=("$page (${package_of[$page]:-not in the list})")
done
if ((${#missing[@]})); then
  echo "render-man-corpus: manual pages missing on this machine: ${missing[*]}" >&2
  echo "render-man-corpus: install (or reinstall) their Debian packages" >&2
  exit 1
fi

mkdir -p "$out"
render() {
  local page=$1 out=$2 target="$2/$1.txt"
  [[ -s $target ]] && return 0
  # no justification and no hyphenation: words stay whole for full-text search; ASCII output
  MANWIDTH=80 LC_ALL=C.UTF-8 man --no-justification --no-hyphenation -E ascii -P cat \
    "${page##*.}" "${page%.*}" >"$target.tmp" 2>/dev/null
  [[ -s $target.tmp ]] || { echo "render-man-corpus: $page rendered empty" >&2; return 1; }
  mv "$target.tmp" "$target"
}
export -f render
printf '%s\n' "${pages[@]}" | xargs -P 2 -I{} bash -c 'render "$1" "$2"' _ {} "$out"
echo "render-man-corpus: ${#pages[@]} page(s) in $out" >&2
