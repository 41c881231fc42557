#!/usr/bin/env bash
# The --store postgres errors that need a real PostgreSQL server with authentication and without pgvector (PGlite, which
# the tests use, accepts any password and is started with pgvector): Debian's PostgreSQL, installed if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$initdb" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  initdb=$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)
fi
bin=$(dirname "$initdb")
work=$(mktemp -d); chown postgres "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "right-pw" > "$work/pw"; chown postgres "$work/pw"
su postgres -c "$bin/initdb -D $work/data -A scram-sha-256 --pwfile=$work/pw -U postgres" >/dev/null
su postgres -c "$bin/pg_ctl -D $work/data -o '-p $port -k $work' -l $work/log -w start" >/dev/null
trap 'su postgres -c "$bin/pg_ctl -D $work/data -m fast stop" >/dev/null; rm -rf "$work"' EXIT

skrerank() { dotnet run --project src/SkRerank.Cli -c Release --no-build -- "$@"; }
check() { # expected-substring, then the CLI arguments
  local expected=$1; shift
  set +e; out=$(skrerank "$@" 2>&1 >/dev/null); code=$?; set -e
  lines=$(printf '%s\n' "$out" | grep -c . || true)
  if [ "$code" != 1 ] || [ "$lines" != 1 ] || ! grep -qF -- "$expected" <<<"$out" || grep -q "wrong-pw\|right-pw" <<<"$out"; then
    echo "FAILED: expected exit 1 and one line with '$expected', got exit $code: $out" >&2; exit 1
  fi
  echo "ok: $out"
}
dataset=$(ls ../shared/datasets/movies.json datasets/movies.json 2>/dev/null | head -1 || true)
check "rejected the password of user 'postgres'" search --store postgres --connection-string "Host=127.0.0.1;Port=$port;Username=postgres;Password=wrong-pw" --dataset "$dataset" bats
check "the vector extension is not installed on this server (127.0.0.1:$port" search --store postgres --connection-string "Host=127.0.0.1;Port=$port;Username=postgres;Password=right-pw" --dataset "$dataset" bats
