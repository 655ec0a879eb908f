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

Your own bot as the system under test (see README, "Test your own bot"):
  --target-command CMD   run CMD (a shell command) once per scenario instead of the built-in engine
  --target-ready REGEX   ready when a line of its output matches (default: its first signed request)
  --target-health URL    ready when URL answers 2xx
  --target-ready-timeout S, --target-grace S
                         wait for ready (default 60 s); SIGTERM to SIGKILL at the stop (default 10 s)
  --target-intents       the bot must report its intents in N1V1_INTENTS_FILE
  --target-expect-flat   orders left resting at the venue after the stop fail
  --target-external      run no process: one world for a bot started elsewhere
  --exchange-port P, --database-port P
                         with --target-external: where the proxies listen

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
    --parallel | --quick | --verbose | --target-intents | --target-expect-flat | --target-external)
      args+=("$1")
      shift
      ;;
    --scenarios | --scenario-file | --mode | --seed | --duration | --output-dir | \
      --target-command | --target-ready | --target-health | --target-ready-timeout | --target-grace | \
      --exchange-port | --database-port)
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
