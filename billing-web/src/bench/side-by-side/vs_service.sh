#!/usr/bin/env bash
# Side by side in one run, same generator, same event mix, same PostgreSQL, alternated A B C A B C:
#   ours-intake  the project's WAR on Payara Micro, engine off (verify + durable store + 2xx)
#   reference    bench/Server.java --mode db (verify + one durable INSERT per event, autocommit)
#   peer         @supabase/stripe-sync-engine 0.48.5 (verify + upsert of the object, synchronous)
#   peer2        @stripe/sync-engine 1.0.32, its successor (same work), when installed (peer2/setup.sh)
# then end to end: the WAR with its engine on, events carrying tenants, time until every event settled.
# Needs, once: setup_db.sh and peer/setup.sh beside this file (as root, PostgreSQL running), a built checkout.
#   REPS=5 EVENTS=10000 C=32 WARM=100000 billing-web/src/bench/side-by-side/vs_service.sh   (from the project root)
# SKIP_E2E=1 runs the intake side by side only; SKIP_INTAKE=1 the end to end only (the peer warmed up on its own);
# CHECKOUT=<another built checkout> measures that build instead (before and after a change, on one machine).
# SERVICE_JAVA_OPTS=<JVM options> starts the service's JVM with them (a heap limit, a profiling agent).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CHECKOUT=${CHECKOUT:-$(cd "$HERE/../../../.." && pwd)}
REPS=${REPS:-3}; EVENTS=${EVENTS:-10000}; C=${C:-32}; WARM=${WARM:-30000}
OUT=${OUT:-/tmp/vs-service}; PEER_DIR=${PEER_DIR:-/tmp/peer}; PEER2_DIR=${PEER2_DIR:-/tmp/peer2}
SECRET=whsec_bench_secret; TYPES=invoice.paid,customer.created,customer.updated,product.created
JAR=${PG_JAR:-/tmp/bench-lib/postgresql-42.7.5.jar}
[ -f "$JAR" ] || "$CHECKOUT/mvnw" -q org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
    -Dartifact=org.postgresql:postgresql:42.7.5 -DoutputDirectory="$(dirname "$JAR")"
P_OURS=18182; P_REF=18183; P_PEER=18184; P_PEER2=18185
HAVE_PEER2=""; [ -d "$PEER2_DIR/node_modules/@stripe/sync-engine" ] && HAVE_PEER2=1
mkdir -p "$OUT/bin"; : > "$OUT/results.tsv"
war=$(ls "$CHECKOUT"/billing-web/target/*.war | head -1)
micro=$(find ~/.m2/repository/fish/payara/extras/payara-micro -name 'payara-micro-*.jar' | sort -V | tail -1)
javac -d "$OUT/bin/load" "$HERE/Load.java"
javac -cp "$JAR" -d "$OUT/bin/server" "$HERE/Server.java"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
psqlp() { psql -h 127.0.0.1 -U postgres -qAt "$@"; }
fresh_db() { psqlp -d postgres -c "DROP DATABASE IF EXISTS svcbench" -c "CREATE DATABASE svcbench"; }
wait_url() { for _ in $(seq 1 300); do curl -s -o /dev/null "$1" && return 0; sleep 1; done; echo "no answer from $1" >&2; return 1; }

start_ours() {   # start_ours <engine true|false>
  local work; work=$(mktemp -d)
  ( cd "$work" && BILLING_DB_URL=jdbc:postgresql://127.0.0.1:5432/svcbench BILLING_DB_USER=postgres \
      STRIPE_WEBHOOK_SECRETS=$SECRET BILLING_ADMIN_PASSWORD=bench-admin-password BILLING_ENGINE_ENABLED=$1 \
      BILLING_RECOVERY_ENABLED=false exec java ${SERVICE_JAVA_OPTS:-} -jar "$micro" --deploy "$war" --contextroot / --port $P_OURS --nocluster \
      > "$OUT/ours-$1.log" 2>&1 ) &
  OURS=$!; PIDS+=($OURS)
  for _ in $(seq 1 200); do grep -q 'ready in' "$OUT/ours-$1.log" 2>/dev/null && break; sleep 2; done
  grep -q 'ready in' "$OUT/ours-$1.log" || { echo "service not ready" >&2; exit 1; }
  wait_url http://127.0.0.1:$P_OURS/health/ready
}
stop_ours() { kill "$OURS" 2>/dev/null || true; wait "$OURS" 2>/dev/null || true; }

load() {   # load <label> <port> <path> <rep> <extra args...>
  local label=$1 port=$2 path=$3 rep=$4; shift 4
  local log=$OUT/$label.r$rep.log
  java -cp "$OUT/bin/load" Load --url "http://127.0.0.1:$port$path" --secret $SECRET --concurrency "$C" \
       --types $TYPES --ids-file "$OUT/$label.r$rep.ids" --max-seconds 300 "$@" > "$log" 2>&1 || echo "  ($label exit $?, see $log)"
  local line; line=$(grep '^RESULT' "$log" || echo "RESULT events_per_s=nan p99_ms=nan")
  local eps=${line#*events_per_s=}; eps=${eps%% *}; local p99=${line#*p99_ms=}
  printf '%s\t%s\t%s\t%s\n' "$label" "$rep" "$eps" "$p99" >> "$OUT/results.tsv"
  printf '%-14s rep=%s events/s=%-8s p99_ms=%s\n' "$label" "$rep" "$eps" "$p99"
}

fresh_db
PEER_DIR=$PEER_DIR PORT=$P_PEER DATABASE_URL=postgres://peer:peer@127.0.0.1:5432/peer WEBHOOK_SECRET=$SECRET \
  MAX_SECONDS=3600 node "$HERE/peer/server.mjs" > "$OUT/peer.log" 2>&1 &
PIDS+=($!)
sleep 5
load warm-peer $P_PEER /webhook 0 --events 5000 --warmup 0 >/dev/null
if [ -z "${SKIP_INTAKE:-}" ]; then
  echo "== intake side by side, c=$C, $EVENTS events per run, mix $TYPES"
  start_ours false
  java -cp "$OUT/bin/server:$JAR" Server --mode db --port $P_REF --secret $SECRET --max-seconds 3600 \
    --jdbc jdbc:postgresql://127.0.0.1:5432/bench --user bench --password bench --pool 8 > "$OUT/ref.log" 2>&1 &
  PIDS+=($!)
  if [ -n "$HAVE_PEER2" ]; then
    PEER_DIR=$PEER2_DIR PORT=$P_PEER2 DATABASE_URL=postgres://peer:peer@127.0.0.1:5432/peer2 WEBHOOK_SECRET=$SECRET \
      MAX_SECONDS=3600 node "$HERE/peer2/server.mjs" > "$OUT/peer2.log" 2>&1 &
    PIDS+=($!)
  fi
  load warm-ours $P_OURS /api/stripe/webhook 0 --events "$WARM" --warmup 0 >/dev/null
  load warm-ref $P_REF /webhook 0 --events 5000 --warmup 0 >/dev/null
  [ -n "$HAVE_PEER2" ] && load warm-peer2 $P_PEER2 /webhook 0 --events 5000 --warmup 0 >/dev/null
  for r in $(seq 1 "$REPS"); do
    load ours-intake $P_OURS /api/stripe/webhook "$r" --events "$EVENTS" --warmup 1000
    load reference $P_REF /webhook "$r" --events "$EVENTS" --warmup 1000
    load peer $P_PEER /webhook "$r" --events "$EVENTS" --warmup 1000
    [ -n "$HAVE_PEER2" ] && load peer2 $P_PEER2 /webhook "$r" --events "$EVENTS" --warmup 1000
  done
  stored=$(psqlp -d svcbench -c "select count(*) from inbox_event")
  accepted=$(cat "$OUT"/ours-intake.r*.ids "$OUT"/warm-ours.r0.ids | sort -u | wc -l)
  echo "ours: accepted ids $accepted, inbox rows $stored"
  stop_ours
fi

if [ -z "${SKIP_E2E:-}" ]; then
echo "== end to end: engine on, 20 tenants, time until every event settled"
fresh_db; start_ours true
load warm-e2e $P_OURS /api/stripe/webhook 0 --events "$((WARM / 2))" --warmup 0 --tenants 20 >/dev/null
# Events the service has not settled yet: its own counts per status (kept by the database, read in constant time); a
# count(*) of the inbox every half second would cost the database more per event than some of the service's own
# statements.
waiting() {
  psqlp -d svcbench -c "select coalesce(sum(events), 0) from (select status, events from inbox_status_count
    union all select status, events from inbox_status_delta) c where status in ('RECEIVED','PROCESSING','RETRY_SCHEDULED')"
}
# Waits up to 5 minutes for nothing to be waiting; leaves what still waits in $waiting.
settled() {
  for _ in $(seq 1 600); do waiting=$(waiting); [ "$waiting" = 0 ] && return; sleep 0.5; done
}
for r in $(seq 1 "$REPS"); do
  # Each run starts with nothing waiting: the warm-up's backlog (or the previous run's) would be timed with it.
  settled
  t0=$(date +%s.%N)
  load ours-e2e-intake $P_OURS /api/stripe/webhook "$r" --events "$EVENTS" --warmup 0 --tenants 20
  n=$(sort -u "$OUT/ours-e2e-intake.r$r.ids" | wc -l)
  settled
  t1=$(date +%s.%N)
  eps=$(python3 -c "print(round($n/($t1-$t0),1))")
  printf 'ours-e2e\t%s\t%s\tnan\n' "$r" "$eps" >> "$OUT/results.tsv"
  echo "ours-e2e       rep=$r settled events/s=$eps (n=$n, waiting=$waiting)"
  load peer-e2e $P_PEER /webhook "$r" --events "$EVENTS" --warmup 1000
done
psqlp -d svcbench -c "select status, count(*) from inbox_event group by status order by 1"
stop_ours
fi

echo "== medians (events/s)"
python3 - "$OUT/results.tsv" <<'EOF'
import sys, statistics, collections
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    l, r, e, p = line.rstrip("\n").split("\t")
    if r == "0": continue
    try: d[l].append((float(e), float(p) if p != "nan" else float("nan")))
    except ValueError: pass
med = {l: statistics.median(e for e, _ in v) for l, v in d.items()}
for l, v in d.items():
    print(f"{l:16s} median {med[l]:9.1f}  p99 median {statistics.median(p for _, p in v):7.2f}  runs {[e for e, _ in v]}")
if "peer" in med:
    for l in ("ours-intake", "reference", "peer2"):
        if l in med: print(f"RATIO {l}/peer = {med[l]/med['peer']:.2f}")
if "peer2" in med and "ours-intake" in med: print(f"RATIO ours-intake/peer2 = {med['ours-intake']/med['peer2']:.2f}")
if "peer-e2e" in med and "ours-e2e" in med: print(f"RATIO ours-e2e/peer = {med['ours-e2e']/med['peer-e2e']:.2f}")
if "reference" in med and "ours-intake" in med: print(f"RATIO ours-intake/reference = {med['ours-intake']/med['reference']:.2f}")
EOF
