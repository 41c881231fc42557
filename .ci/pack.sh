#!/usr/bin/env bash
# Packs every package with the default version, checks each is under nuget.org's 250 MB upload limit and carries no
# debug symbols or mobile runtimes, then installs the tool from the folder into a temporary tool path and runs an
# offline search with it, as the README says a user would.
set -euo pipefail
cd "$(dirname "$0")/.."

out=artifacts/release
rm -rf "$out"
echo "== pack: dotnet pack SkRerank.sln -c Release -o $out"
dotnet pack SkRerank.sln -c Release -o "$out" -v quiet -nologo

limit=$((250 * 1000 * 1000))
status=0
for package in "$out"/*.nupkg; do
  size=$(stat -c %s "$package")
  awk -v n="$(basename "$package")" -v s="$size" 'BEGIN { printf "%-60s %7.1f MB\n", n, s / 1000000 }'
  if [ "$size" -ge "$limit" ]; then echo "error: $(basename "$package") is over 250 MB" >&2; status=1; fi
  if unzip -l "$package" | grep -Eiq '\.(pdb|dbg)$|/(ios|android|maccatalyst)[-/]'; then
    echo "error: $(basename "$package") carries debug symbols or mobile runtimes" >&2; status=1
  fi
done
for rid in linux-x64 linux-arm64 win-x64 osx-arm64; do
  ls "$out"/SkRerank.Cli."$rid".*.nupkg > /dev/null || { echo "error: no SkRerank.Cli package for $rid" >&2; status=1; }
done
[ "$status" -eq 0 ] || exit "$status"

echo "== install: dotnet tool install SkRerank.Cli from $out into a temporary tool path, then skrerank search"
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
dotnet tool install SkRerank.Cli --version "$version" --tool-path "$tools" --add-source "$out"
# The tool finds datasets/movies.json or ../shared/datasets/movies.json from the current folder, as documented.
"$tools/skrerank" search "super hero mystery action movie about bats" --top 3 --json > "$tools/search.json"
grep -q '"reranked": *true' "$tools/search.json" || { echo "error: the installed skrerank did not answer a reranked search" >&2; cat "$tools/search.json" >&2; exit 1; }
echo "installed skrerank answered: $(grep -o '"title": *"[^"]*"' "$tools/search.json" | head -3 | tr '\n' ' ')"
