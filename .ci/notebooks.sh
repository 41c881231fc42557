#!/usr/bin/env bash
# Runs the walkthrough both ways, offline, and fails if either fails:
#   1. the C# file-based app   notebooks/search-with-reranking.cs     (dotnet run)
#   2. the Polyglot notebook   notebooks/search-with-reranking.ipynb  (headless, dotnet-repl from the local tool manifest)
# The notebook takes SkRerank from the local package folder artifacts/packages, packed here with a fresh prerelease
# version (its first cell packs by itself when the folder is missing or stale, so opening it in VS Code needs no step
# first). `.ci/notebooks.sh --pack-only` just fills that folder.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Both index the 1000 movies; with one cache folder only the first run embeds them.
export SKRERANK_CACHE_DIR="${SKRERANK_CACHE_DIR:-$PWD/.cache/ci}"
# CI runs the offline path whatever the environment holds.
unset TOGETHER_API_KEY TOGETHER_BASE_URL

started=$SECONDS
echo "== notebooks: pack SkRerank and SkRerank.Onnx into artifacts/packages"
version="0.1.0-local.$(date -u +%Y%m%d%H%M%S)"
rm -rf artifacts/packages
for project in src/SkRerank/SkRerank.csproj src/SkRerank.Onnx/SkRerank.Onnx.csproj; do
  dotnet pack "$project" -c Release -o artifacts/packages -p:Version="$version" -v quiet -nologo
done
[ "${1:-}" = "--pack-only" ] && { echo "packed $version"; exit 0; }

echo "== notebooks: file-based app (dotnet run notebooks/search-with-reranking.cs)"
dotnet run notebooks/search-with-reranking.cs
echo "   file-based app: $((SECONDS - started)) s since start"

echo "== notebooks: notebooks/search-with-reranking.ipynb (dotnet repl, headless)"
dotnet tool restore > /dev/null
mkdir -p artifacts/notebooks
executed="$PWD/artifacts/notebooks/search-with-reranking.executed.ipynb"
status=0
# The notebook resolves ../artifacts/packages from its own folder, as VS Code runs it. dotnet-repl exits non-zero
# when a cell fails, and keeps each cell's output in the executed copy.
(cd notebooks && dotnet repl --run search-with-reranking.ipynb --exit-after-run --output-path "$executed") || status=$?
if [ "$status" -ne 0 ]; then
  echo "notebook failed (dotnet repl exit $status); cell errors:" >&2
  grep -o '"evalue": *"[^"]\{0,400\}' "$executed" >&2 || echo "(no executed notebook written)" >&2
  exit "$status"
fi
echo "   notebook ran; executed copy with outputs: artifacts/notebooks/search-with-reranking.executed.ipynb"
echo "== notebooks: both passed in $((SECONDS - started)) s"
