# Sourced by bench/run: ports, CPU placement, starting and stopping the processes under test.
# shellcheck shell=bash disable=SC2154 # variables of bench/run

pids=()

# Copies the artefacts under test to bench/work/artefacts (modification times kept, so AOT caches stay valid
# while nothing changed): a rebuild in the working tree during the run cannot swap a jar under a running JVM.
# The layout is the repository's, so the image's scripts run there unchanged.
snapshot_artefacts() {
  art=$bench/work/artefacts
  local f
  rm -rf "$art"
  mkdir -p "$art/shared/embedded/target" "$art/functions"
  cp -p shared/embedded/target/embedded-qdrant.jar "$art/shared/embedded/target/"
  cp -pR shared/embedded/target/libs "$art/shared/embedded/target/"
  for f in upsert search health; do
    mkdir -p "$art/functions/$f/target"
    cp -p "functions/$f/target/$f.jar" "$art/functions/$f/target/"
    cp -pR "functions/$f/target/libs" "$art/functions/$f/target/"
  done
  if [ -d functions/container ]; then
    cp -pR functions/container "$art/functions/"
  fi
  embedded_jar=$art/shared/embedded/target/embedded-qdrant.jar
}

# snapshot_baseline REV: sets $baseline_art to the functions of git revision REV, built from its own sources
# (git archive, then mvn package: nothing is installed into the local Maven repository) and kept in the cache
# under the revision's commit id. The same layout as $art, so the same launch commands run either.
snapshot_baseline() {
  local rev=$1 commit src f
  commit=$(git rev-parse --verify --quiet "$rev^{commit}") || die "--baseline $rev: not a commit of this repository"
  baseline_commit=${commit:0:12}
  baseline_art=$cache/baseline-$baseline_commit
  if [ -f "$baseline_art/done" ]; then
    say "baseline $rev ($baseline_commit): reusing its build"
    return 0
  fi
  rm -rf "$cache"/baseline-*
  src=$baseline_art.src
  mkdir -p "$src"
  say "baseline $rev ($baseline_commit): building its functions (mvn -B -q package -DskipTests)"
  git archive "$commit" | tar -x -C "$src"
  (cd "$src" && mvn -B -q package -DskipTests -pl functions/upsert,functions/search,functions/health -am) \
    >"$work/baseline-build.log" 2>&1 || die "the baseline did not build (log: $work/baseline-build.log)"
  for f in upsert search health; do
    mkdir -p "$baseline_art/functions/$f/target"
    cp -p "$src/functions/$f/target/$f.jar" "$baseline_art/functions/$f/target/"
    cp -pR "$src/functions/$f/target/libs" "$baseline_art/functions/$f/target/"
  done
  [ -d "$src/functions/container" ] && cp -pR "$src/functions/container" "$baseline_art/functions/"
  rm -rf "$src"
  touch "$baseline_art/done"
}

# Stops every process this run started, by its id (SIGTERM, then SIGKILL after 20 s).
stop_all() {
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    stop_pid "$pid"
  done
  pids=()
}

# stop_pid PID [SECONDS]: SIGTERM, then SIGKILL if it has not exited after SECONDS (default 20).
stop_pid() {
  local pid=$1 seconds=${2:-20} _
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq $((seconds * 10))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A free port below the kernel's ephemeral range: a probe hammering a port inside that range can connect to itself
# (TCP self-connect) and so take the port the server is about to bind.
free_port() {
  local port low _
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for _ in $(seq 100); do
    port=$((10000 + RANDOM % (low - 10000)))
    if ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

random_key() {
  od -An -N24 -tx1 /dev/urandom | tr -d ' \n'
}

# Runs a command on a CPU list (taskset replaces itself with the command, so $! is the command's pid).
on_cpus() {
  local cpus=$1
  shift
  if [ -n "$cpus" ]; then
    exec taskset -c "$cpus" "$@"
  else
    exec "$@"
  fi
}

await_port() {
  local pid=$1 port=$2 name=$3 _
  for _ in $(seq 600); do
    port_in_use "$port" && return 0
    kill -0 "$pid" 2>/dev/null || die "$name exited while starting (log: $work/$name.log)"
    sleep 0.1
  done
  die "$name did not listen on port $port within 60 s"
}

await_ready() {
  local pid=$1 port=$2 name=$3 _
  for _ in $(seq 600); do
    kill -0 "$pid" 2>/dev/null || die "$name exited while starting (log: $work/$name.log)"
    curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/readyz" 2>/dev/null && return 0
    sleep 0.1
  done
  die "$name not ready on port $port within 60 s"
}

# The standalone embedded backend, as in production reached over gRPC with an API key.
start_backend() {
  backend_port=$(free_port)
  (
    export QDRANT_GRPC_PORT=$backend_port EMBEDDED_DATA_DIR="$work/data" QDRANT_API_KEY=$qdrant_key
    # G1: on its one CPU the JVM would pick Serial, whose pauses were the upsert tail (shared/embedded Main warns)
    # shellcheck disable=SC2086 # JAVA_RUN_FLAGS is a list of options
    on_cpus "$backend_cpus" "$JAVA_HOME/bin/java" $JAVA_RUN_FLAGS -XX:+UseG1GC ${BACKEND_JAVA_OPTS:-} -jar "$embedded_jar"
  ) >"$work/backend.log" 2>&1 &
  backend_pid=$!
  pids+=("$backend_pid")
  await_port "$backend_pid" "$backend_port" backend
  export QDRANT_URL="http://127.0.0.1:$backend_port" QDRANT_API_KEY=$qdrant_key
}

# start_function NAME FUNCTION PORT CPUS [ARTEFACTS]: the function as its image starts it
# (functions/container/entrypoint: the image's JVM options), on this JDK, with the pod's memory limit as the JVM's
# view of the machine's memory; from ARTEFACTS (default: the run's snapshot, $art).
start_function() {
  local name=$1 function=$2 port=$3 cpus=$4 from=${5:-$art} memory
  memory=$(pod_memory_flag "$function")
  (
    export PORT=$port
    if [ -x "$from/functions/container/entrypoint" ]; then
      export FUNCTION=$function APP_HOME="$from/functions/$function/target" JAVA_OPTS="$memory ${FUNCTION_JAVA_OPTS:-}"
      on_cpus "$cpus" "$from/functions/container/entrypoint"
    else
      # shellcheck disable=SC2086 # option lists
      on_cpus "$cpus" "$JAVA_HOME/bin/java" $JAVA_QUIET_FLAGS $memory ${FUNCTION_JAVA_OPTS:-} \
        -jar "$from/functions/$function/target/$function.jar"
    fi
  ) >"$work/$name.log" 2>&1 &
  last_pid=$!
  pids+=("$last_pid")
  await_ready "$last_pid" "$port" "$name"
}

# -XX:MaxRAM=<the memory limit of the function's Knative Service>: the JVM sizes its heap from it as in the pod.
pod_memory_flag() {
  local limit
  limit=$(awk '/limits:/ { l = 1 } l && /memory:/ { print $2; exit }' "knative/base/$1.yaml" 2>/dev/null || true)
  case "$limit" in
    *Mi) echo "-XX:MaxRAM=${limit%Mi}m" ;;
    *Gi) echo "-XX:MaxRAM=${limit%Gi}g" ;;
    *) echo "" ;;
  esac
}

cpu_ticks() { # utime+stime of a process, in clock ticks (0 once it is gone)
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

compiler_ticks() { # utime+stime of a JVM's JIT compiler threads, in clock ticks
  local t sum=0 comm
  for t in /proc/"$1"/task/*; do
    comm=$(cat "$t/comm" 2>/dev/null) || continue
    case "$comm" in
      C1\ Compiler* | C2\ Compiler*)
        sum=$((sum + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$t/stat" 2>/dev/null || echo 0)))
        ;;
    esac
  done
  echo "$sum"
}

ticks_to_ms() {
  echo $(($1 * 1000 / $(getconf CLK_TCK)))
}

# await_idle PID NAME: waits (up to 2 minutes) until the process uses under 5 % of a CPU over a second, e.g. the
# backend after seeding, whose index merges would otherwise run during the first measurements.
await_idle() {
  local pid=$1 name=$2 before after hz _
  hz=$(getconf CLK_TCK)
  for _ in $(seq 120); do
    before=$(cpu_ticks "$pid")
    sleep 1
    after=$(cpu_ticks "$pid")
    if [ $(((after - before) * 100)) -lt $((hz * 5)) ]; then
      return 0
    fi
  done
  say "note: $name still busy after 2 minutes; measuring anyway"
}

