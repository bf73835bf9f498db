#!/usr/bin/env bash
# Item 6: a simulated day at 100 orders/s with --db-dir, fast-forwarded. Prints peak RSS from
# /usr/bin/time -v and writes RSS samples (seconds, kB) every 10 s to $out/rss.csv.
#   CONFIG=Benchmarks/configs/day-default-retention.yaml DURATION=2h Benchmarks/scripts/memory-day.sh
# runs it with the default retention (100,000 records per partition) and without --db-dir
# (NO_DB_DIR=1: the databases SQLite keeps in temporary files, as the dashboard does).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-Benchmarks/results}
duration=${DURATION:-24h}
exe=${ORDERFLOW:-.build/release/orderflow}
mkdir -p "$out"
db=$(mktemp -d)
trap 'rm -rf "$db"' EXIT
config=${CONFIG:-Benchmarks/configs/day.yaml}
where=(--db-dir "$db/run")
[ -n "${NO_DB_DIR:-}" ] && where=()
/usr/bin/time -v "$exe" simulate --config "$config" --duration "$duration" \
  "${where[@]}" --json > "$out/day-report.json" 2> "$out/day-time.txt" &
pid=$!
sleep 1
child=$(pgrep -P "$pid" || true)
start=$(date +%s)
echo "seconds,rss_kb" > "$out/rss.csv"
while kill -0 "$pid" 2>/dev/null; do
  if [ -n "$child" ] && [ -r "/proc/$child/status" ]; then
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$child/status" 2>/dev/null || true)
    [ -n "$rss" ] && echo "$(( $(date +%s) - start )),$rss" >> "$out/rss.csv"
  fi
  sleep "${SAMPLE_SECONDS:-10}"
done
wait "$pid"
grep -E "Maximum resident|Elapsed" "$out/day-time.txt"
