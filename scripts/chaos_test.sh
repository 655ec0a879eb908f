#!/usr/bin/env bash
# Runs the chaos suite against the local stack: a thin wrapper around `n1v1 chaos`.
# Exit codes: 0 all scenarios passed, 1 one failed, 2 bad usage or input, 130 interrupted.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'USAGE'
Usage: scripts/chaos_test.sh [options]

Runs the chaos scenarios (network_partition, rate_limit_flood, exchange_downtime,
database_outage, or your own) against a local stack and writes reports.

Options:
  --scenarios a,b        scenarios to run (default: all built-ins)
  --scenario-file FILE   YAML/JSON file of your own scenarios (repeatable)
  --mode MODE            sequential (default) or random
  --seed N               seed of the random order, prices and fault draws
  --parallel             run the scenarios at once, each on its own stack
  --duration S           soak: repeat the scenarios until S seconds have passed
  --output-dir DIR       where run directories go (default: chaos_reports)
  --quick                compress baseline and chaos windows for CI (SLAs unchanged)
  --verbose              a progress line every second and every check of every scenario
  --help                 show this help

Exit codes: 0 all passed, 1 a scenario failed, 2 bad usage or input, 130 interrupted.
USAGE
}

args=()
while (($# > 0)); do
  case "$1" in
    --help | -h)
      usage
      exit 0
      ;;
    --parallel | --quick | --verbose)
      args+=("$1")
      shift
      ;;
    --scenarios | --scenario-file | --mode | --seed | --duration | --output-dir)
      if (($# < 2)) || [[ "$2" == --* ]]; then
        echo "error: $1 needs a value (run with --help for usage)" >&2
        exit 2
      fi
      args+=("$1" "$2")
      shift 2
      ;;
    *)
      echo "error: unknown option $1 (run with --help for usage)" >&2
      exit 2
      ;;
  esac
done

CLI="$ROOT/dist/cli/main.js"
if [[ ! -f "$CLI" ]]; then
  (cd "$ROOT" && npm run --silent build) >&2
fi
exec node "$CLI" chaos "${args[@]}"
