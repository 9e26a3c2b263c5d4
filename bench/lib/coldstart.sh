# Sourced by bench/run: cold start and idle memory of the functions under several JVM configurations, including
# JDK 25 AOT caches (trained here, kept in bench/work/cache while jars, JDK and options stay the same) and the
# container image's own start command on its jlink runtime (functions/container scripts, as functions/Dockerfile
# runs them).
# shellcheck shell=bash disable=SC2154 # variables of bench/run

# The tuning ladder on top of the AOT cache; each step adds to the one before.
TUNED_FLAGS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1"
LEAN_FLAGS="$TUNED_FLAGS -Xss256k -Xms16m -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=128m -XX:-UsePerfData"
# Map the cache at the address it was written for instead of relocating it (the default, for ASLR): a
# diagnostic option, so it needs unlocking; a run option only, the aot-lean cache serves it.
FIXED_FLAGS="-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"

coldstart_placement=""

# A fingerprint of what an AOT cache depends on: the function's class path, the JDK and the JVM options.
fingerprint() {
  local function=$1
  shift
  {
    ls -l --time-style=+%s "$art/functions/$function/target/$function.jar" "$art/functions/$function/target/libs/"
    "$JAVA_HOME/bin/java" -version 2>&1
    echo "$*"
  } | sha256sum | cut -c1-16
}

# The request a function's first-request probe sends, as coldstart options.
probe_options() {
  case "$1" in
    search) echo "--method POST --path /memories/search --body $work/bodies/search.json" ;;
    upsert) echo "--method POST --path /memories --body $work/bodies/memory.json" ;;
    health) echo "--method GET --path /health" ;;
  esac
}

# measure_config FUNCTION NAME DESCRIPTION COMMAND...: launches the command $runs times (see ColdStart.java).
measure_config() {
  local function=$1 name=$2 desc=$3 port
  shift 3
  port=$(free_port)
  say "cold start: $function $name ($runs launches)"
  # shellcheck disable=SC2046 # probe_options is a list of options
  PORT=$port bench_tool coldstart --name "$name" --function "$function" --desc "$desc" --port "$port" \
    --runs "$runs" --rss-after "$rss_after" $(probe_options "$function") --key "$service_key" \
    --log "$work/cold-$function-$name.log" -- "$@" >>"$results" ||
    die "cold start of $function ($name) failed: see $work/cold-$function-$name.log"
  tail -n 1 "$results" | cut -c1-200 >&2
  if grep -i -E '\[(aot|cds)\].*(error|unable|mismatch|disabled|not )|AOT cache.*(disabled|not used|fail)' \
    "$work/cold-$function-$name.log" | head -n 3 | grep -q .; then
    note "$function $name: the JVM reported a problem with its AOT cache: $(grep -i -m1 -E '\[(aot|cds)\]|AOT cache' "$work/cold-$function-$name.log" | cut -c1-200)"
  fi
}

# train_aot FUNCTION NAME OPTIONS...: sets $trained to an AOT cache for the function with these options, training
# one (the function serving its own requests for a few seconds, then SIGTERM) unless a matching one exists.
train_aot() {
  local function=$1 name=$2 key file port pid seconds=3 _
  shift 2
  key=$(fingerprint "$function" "$@")
  file=$cache/aot/$function-$name-$key.aot
  if [ -s "$file" ]; then
    say "AOT cache for $function $name: reusing $(basename "$file") (same jars, JDK and options)"
    trained=$file
    return 0
  fi
  mkdir -p "$cache/aot"
  rm -f "$cache/aot/$function-$name-"*
  [ "$mode" = smoke ] && seconds=1
  port=$(free_port)
  say "AOT cache for $function $name: training (${seconds} s of its own requests, then SIGTERM)"
  # shellcheck disable=SC2086 # option lists
  PORT=$port "$JAVA_HOME/bin/java" $JAVA_QUIET_FLAGS "$@" -XX:AOTCacheOutput="$file.training" \
    -jar "$art/functions/$function/target/$function.jar" >"$work/train-$function-$name.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  await_ready "$pid" "$port" "train-$function-$name"
  case "$function" in
    search) BENCH_BODIES=$work/bodies/search.bodies BENCH_API_KEY=$service_key \
      wrk -t1 -c4 -d"${seconds}s" -s "$bench/wrk/bodies.lua" "http://127.0.0.1:$port/memories/search" >/dev/null ;;
    upsert)
      BENCH_BODIES=$work/bodies/upsert.bodies BENCH_API_KEY=$service_key \
        wrk -t1 -c2 -d"${seconds}s" -s "$bench/wrk/bodies.lua" "http://127.0.0.1:$port/memories/batch" >/dev/null
      curl -fsS -o /dev/null -X POST -H "X-API-Key: $service_key" -H 'Content-Type: application/json' \
        --data-binary "@$work/bodies/memory.json" "http://127.0.0.1:$port/memories"
      ;;
    health) wrk -t1 -c2 -d"${seconds}s" "http://127.0.0.1:$port/health" >/dev/null ;;
  esac
  for _ in 1 2 3; do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz"
    curl -fsS -o /dev/null "http://127.0.0.1:$port/livez"
    curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics"
  done
  # The JVM writes the cache on its way out (a child JVM assembles it): give it time.
  stop_pid "$pid" 300
  [ -s "$file.training" ] || die "training wrote no AOT cache (log: $work/train-$function-$name.log)"
  mv "$file.training" "$file"
  trained=$file
}

# The image's /app layout, jlink runtime and AOT caches, built by the image's own scripts (functions/container).
prepare_image() {
  local key f
  key=$(
    for f in upsert search health; do fingerprint "$f"; done
    cat "$art"/functions/container/*
  )
  key=$(sha256sum <<<"$key" | cut -c1-16)
  image=$cache/image-$key
  if [ -f "$image/done" ]; then
    say "image layout: reusing $(basename "$image") (same jars, JDK and container scripts)"
    return 0
  fi
  rm -rf "$cache"/image-*
  mkdir -p "$image"
  say "image layout: jlink runtime and one AOT training run per function (functions/container/build-runtime, assemble, train-aot)"
  # The image's scripts work from the repository root; the snapshot has the same layout.
  (cd "$art" && functions/container/build-runtime "$image/jre" functions/upsert/target functions/search/target \
    functions/health/target) >"$work/image-build.log" 2>&1 || die "build-runtime failed (log: $work/image-build.log)"
  for f in search upsert health; do
    (cd "$art" && functions/container/assemble "$f" "$image/$f") >>"$work/image-build.log" 2>&1 || die "assemble $f failed"
    # The tools run on this JDK, the function on the image's runtime.
    # shellcheck disable=SC2097,SC2098
    (cd "$art" && FUNCTION=$f JAVA_HOME=$image/jre TOOL_JAVA=$JAVA_HOME/bin/java EMBEDDED_JAR=$embedded_jar \
      WRITER_JAR=$art/functions/upsert/target/upsert.jar functions/container/train-aot "$image/$f") \
      >>"$work/image-build.log" 2>&1 || die "train-aot $f failed (log: $work/image-build.log)"
  done
  touch "$image/done"
}

cold_start_all() {
  # shellcheck disable=SC2034 # read by bench/run
  coldstart_placement="Cold starts are not pinned (a function may use all $cpus CPUs, as a pod may burst to its limit of 2); the backend is idle apart from the probes' requests; every configuration runs with the function's pod memory limit as -XX:MaxRAM.${nice_note:-}"
  local f mem configs_note=""
  local functions=(search upsert health)
  for f in "${functions[@]}"; do
    mem=$(pod_memory_flag "$f")
    # shellcheck disable=SC2086 # option lists
    measure_config "$f" plain "java -jar (defaults)" "$JAVA_HOME/bin/java" $JAVA_QUIET_FLAGS $mem -jar "$art/functions/$f/target/$f.jar"
    if [ "$java_major" -lt 25 ]; then
      configs_note="AOT configurations skipped: they need JDK 25 (this is $java_major)."
      continue
    fi
    if [ "$f" = search ]; then
      # shellcheck disable=SC2086
      train_aot "$f" aot $mem
      # shellcheck disable=SC2086
      measure_config "$f" aot "-XX:AOTCache" "$JAVA_HOME/bin/java" $JAVA_QUIET_FLAGS $mem -XX:AOTCache="$trained" \
        -jar "$art/functions/$f/target/$f.jar"
      if [ "$mode" != smoke ]; then
        # shellcheck disable=SC2086
        train_aot "$f" aot-serial-c1 $mem $TUNED_FLAGS
        # shellcheck disable=SC2086
        measure_config "$f" aot-serial-c1 "-XX:AOTCache $TUNED_FLAGS" "$JAVA_HOME/bin/java" $JAVA_QUIET_FLAGS $mem \
          $TUNED_FLAGS -XX:AOTCache="$trained" -jar "$art/functions/$f/target/$f.jar"
        # shellcheck disable=SC2086
        train_aot "$f" aot-lean $mem $LEAN_FLAGS
        # shellcheck disable=SC2086
        measure_config "$f" aot-lean "-XX:AOTCache $LEAN_FLAGS" "$JAVA_HOME/bin/java" $JAVA_QUIET_FLAGS $mem \
          $LEAN_FLAGS -XX:AOTCache="$trained" -jar "$art/functions/$f/target/$f.jar"
        # shellcheck disable=SC2086
        measure_config "$f" aot-lean-fixed "-XX:AOTCache $LEAN_FLAGS $FIXED_FLAGS" "$JAVA_HOME/bin/java" \
          $JAVA_QUIET_FLAGS $mem $LEAN_FLAGS $FIXED_FLAGS -XX:AOTCache="$trained" -jar "$art/functions/$f/target/$f.jar"
      fi
    fi
    if [ "$mode" != smoke ] && [ -x "$art/functions/container/entrypoint" ] && [ -x "$art/functions/container/train-aot" ]; then
      [ -n "${image:-}" ] || prepare_image
      measure_config "$f" image "functions/container/entrypoint on the jlink runtime with its trained app.aot" \
        env FUNCTION="$f" APP_HOME="$image/$f" JAVA_HOME="$image/jre" JAVA_OPTS="$mem" "$image/$f/bin/entrypoint"
    fi
  done
  [ -z "$configs_note" ] || note "$configs_note"
}
