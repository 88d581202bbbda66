#!/usr/bin/env bash
# Two builds of the service side by side, both running at once (each on its own port and database), the same load
# sent to one then the other, run after run: A B A B. Both JVMs warm up alike and the machine's drift hits both, so
# that a change smaller than the spread between runs can still be seen. Prints, per run, the generator's rate, the rate
# from the first event sent to the last one settled (engine on) and the service's own CPU per event (its process's
# user and system time from /proc, over the run).
#   ab_service.sh <A: a checkout or a WAR> <B: a checkout or a WAR>                (from the project's root)
# ENGINE=true (default) runs the engine, events naming 20 tenants; ENGINE=false measures the intake alone.
# WARM events each first (default 60000), then REPS runs (default 4) of EVENTS events (default 10000) at C
# connections (default 32), the event mix of vs_service.sh. Needs PostgreSQL (user postgres, trust) and Payara Micro
# in the local Maven repository (./mvnw package).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ENGINE=${ENGINE:-true}; WARM=${WARM:-60000}; REPS=${REPS:-4}; EVENTS=${EVENTS:-10000}; C=${C:-32}
OUT=${OUT:-/tmp/ab-service}
SECRET=whsec_bench_secret; TYPES=invoice.paid,customer.created,customer.updated,product.created
war_of() { if [ -d "$1" ]; then ls "$1"/billing-web/target/*.war | head -1; else echo "$1"; fi; }
micro=$(find ~/.m2/repository/fish/payara/extras/payara-micro -name 'payara-micro-*.jar' | sort -V | tail -1)
mkdir -p "$OUT/bin"
javac -d "$OUT/bin/load" "$HERE/Load.java"
psqlp() { psql -h 127.0.0.1 -U postgres -qAt "$@"; }
declare -A PID PORT WAR
PORT[a]=18201; PORT[b]=18202; WAR[a]=$(war_of "$1"); WAR[b]=$(war_of "$2")
trap 'kill ${PID[a]:-} ${PID[b]:-} 2>/dev/null || true' EXIT
for x in a b; do
  psqlp -d postgres -c "DROP DATABASE IF EXISTS ab_$x" -c "CREATE DATABASE ab_$x"
  rm -rf "$OUT/$x"; mkdir -p "$OUT/$x"
  (cd "$OUT/$x" && BILLING_DB_URL=jdbc:postgresql://127.0.0.1:5432/ab_$x BILLING_DB_USER=postgres \
     STRIPE_WEBHOOK_SECRETS=$SECRET BILLING_ADMIN_PASSWORD=bench-admin-password BILLING_ENGINE_ENABLED=$ENGINE \
     BILLING_RECOVERY_ENABLED=false exec java -jar "$micro" --deploy "${WAR[$x]}" --contextroot / --port ${PORT[$x]} \
     --nocluster > "$OUT/$x/service.log" 2>&1) &
  PID[$x]=$!
  for _ in $(seq 1 150); do grep -q 'ready in' "$OUT/$x/service.log" && break; sleep 2; done
  grep -q 'ready in' "$OUT/$x/service.log" || { echo "service $x not ready, see $OUT/$x/service.log" >&2; exit 1; }
done
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
waiting() {   # the service's own counts per status, read in constant time
  psqlp -d "ab_$1" -c "select coalesce(sum(events), 0) from (select status, events from inbox_status_count
    union all select status, events from inbox_status_delta) c where status in ('RECEIVED','PROCESSING','RETRY_SCHEDULED')"
}
settled() { [ "$ENGINE" = true ] || return 0; for _ in $(seq 1 2400); do [ "$(waiting "$1")" = 0 ] && return 0; sleep 0.25; done; }
tenants=(); [ "$ENGINE" = true ] && tenants=(--tenants 20)
load() {   # load <a|b> <events>
  java -cp "$OUT/bin/load" Load --url "http://127.0.0.1:${PORT[$1]}/api/stripe/webhook" --secret $SECRET \
       --concurrency "$C" --types $TYPES --events "$2" "${tenants[@]}" --quiet | grep '^RESULT'
}
for x in a b; do load $x "$WARM" > /dev/null; done
for x in a b; do settled $x; done
ticks_per_s=$(getconf CLK_TCK)
for r in $(seq 1 "$REPS"); do
  for x in a b; do
    settled $x
    c0=$(cpu_ticks ${PID[$x]}); t0=$(date +%s.%N)
    result=$(load $x "$EVENTS")
    settled $x
    t1=$(date +%s.%N); c1=$(cpu_ticks ${PID[$x]})
    span="first sent to last settled"; [ "$ENGINE" = true ] || span="over the run, the generator's start included"
    python3 -c "print('$x run $r: generator ${result#RESULT }, $span %.0f events/s,'
                      ' service CPU %.0f us per event' % ($EVENTS / ($t1 - $t0), ($c1 - $c0) * 1e6 / $ticks_per_s / $EVENTS))"
  done
done
