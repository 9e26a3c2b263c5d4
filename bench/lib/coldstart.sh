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

# fingerprint ARTEFACTS FUNCTION OPTIONS...: what an AOT cache depends on: the function's class path, the JDK and
# the JVM options.
fingerprint() {
  local from=$1 function=$2
  shift 2
  {
    ls -l --time-style=+%s "$from/functions/$function/target/$function.jar" "$from/functions/$function/target/libs/"
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

# measure_config FUNCTION NAME DESCRIPTION BASELINE_COMMAND COMMAND...: launches the command $runs times (see
# ColdStart.java); with a BASELINE_COMMAND (one line, words split on spaces), that one too, the launches of the two
# alternating, and the baseline's figures are recorded as NAME-baseline.
measure_config() {
  local function=$1 name=$2 desc=$3 baseline_command=$4 port pair=()
  shift 4
  port=$(free_port)
  [ -z "$baseline_command" ] ||
    pair=(--baseline-name "$name-baseline" --baseline-desc "$desc, revision $baseline ($baseline_commit)"
      --baseline-command "$baseline_command")
  say "cold start: $function $name ($runs launches${baseline_command:+, alternating with the baseline})"
  # shellcheck disable=SC2046 # probe_options is a list of options
  PORT=$port bench_tool coldstart --name "$name" --function "$function" --desc "$desc" --port "$port" \
    --runs "$runs" --rss-after "$rss_after" $(probe_options "$function") --key "$service_key" \
    --log "$work/cold-$function-$name.log" "${pair[@]}" -- "$@" >>"$results" ||
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
  key=$(fingerprint "$art" "$function" "$@")
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

# prepare_image ARTEFACTS: sets $image to the image's /app layout, jlink runtime and AOT caches for these
# artefacts ($art, or the --baseline revision's), built by their own image scripts (functions/container) and
# kept in the cache while jars, JDK and scripts stay the same.
prepare_image() {
  local from=$1 key f
  key=$(
    echo "$from"
    for f in upsert search health; do fingerprint "$from" "$f"; done
    cat "$from"/functions/container/*
  )
  key=$(sha256sum <<<"$key" | cut -c1-16)
  image=$cache/image-$key
  if [ -f "$image/done" ]; then
    say "image layout: reusing $(basename "$image") (same jars, JDK and container scripts)"
    return 0
  fi
  rm -rf "$cache"/image-*.building
  mkdir -p "$image.building"
  say "image layout of ${from#"$root"/}: jlink runtime and one AOT training run per function (functions/container/build-runtime, assemble, train-aot)"
  # The image's scripts work from the repository root; the snapshot has the same layout.
  (cd "$from" && functions/container/build-runtime "$image.building/jre" functions/upsert/target \
    functions/search/target functions/health/target) >"$work/image-build.log" 2>&1 ||
    die "build-runtime failed (log: $work/image-build.log)"
  for f in search upsert health; do
    (cd "$from" && functions/container/assemble "$f" "$image.building/$f") >>"$work/image-build.log" 2>&1 ||
      die "assemble $f failed"
    # The tools run on this JDK, the function on the image's runtime.
    # shellcheck disable=SC2097,SC2098
    (cd "$from" && FUNCTION=$f JAVA_HOME=$image.building/jre TOOL_JAVA=$JAVA_HOME/bin/java \
      EMBEDDED_JAR=$embedded_jar WRITER_JAR=$from/functions/upsert/target/upsert.jar \
      functions/container/train-aot "$image.building/$f") >>"$work/image-build.log" 2>&1 ||
      die "train-aot $f failed (log: $work/image-build.log)"
  done
  # The layout is kept under its final name only once complete; older layouts of the same artefacts go.
  rm -rf "$image"
  mv "$image.building" "$image"
  touch "$image/done"
}

# image_command IMAGE FUNCTION: the image's start command of a function, as a pod runs it.
image_command() {
  local image=$1 function=$2
  echo "env FUNCTION=$function APP_HOME=$image/$function JAVA_HOME=$image/jre JAVA_OPTS=$(pod_memory_flag "$function") $image/$function/bin/entrypoint"
}

cold_start_all() {
  # shellcheck disable=SC2034 # read by bench/run
  coldstart_placement="Cold starts are not pinned (a function may use all $cpus CPUs, as a pod may burst to its limit of 2); the backend is idle apart from the probes' requests; every configuration runs with the function's pod memory limit as -XX:MaxRAM.${nice_note:-}"
  local f mem configs_note="" current_image="" baseline_image="" vs
  local functions=(search upsert health)
  for f in "${functions[@]}"; do
    mem=$(pod_memory_flag "$f")
    # shellcheck disable=SC2086 # option lists
    measure_config "$f" plain "java -jar (defaults)" "" "$JAVA_HOME/bin/java" $JAVA_QUIET_FLAGS $mem -jar "$art/functions/$f/target/$f.jar"
    if [ "$java_major" -lt 25 ]; then
      configs_note="AOT configurations skipped: they need JDK 25 (this is $java_major)."
      continue
    fi
    if [ "$f" = search ]; then
      # shellcheck disable=SC2086
      train_aot "$f" aot $mem
      # shellcheck disable=SC2086
      measure_config "$f" aot "-XX:AOTCache" "" "$JAVA_HOME/bin/java" $JAVA_QUIET_FLAGS $mem -XX:AOTCache="$trained" \
        -jar "$art/functions/$f/target/$f.jar"
      if [ "$mode" != smoke ]; then
        # shellcheck disable=SC2086
        train_aot "$f" aot-serial-c1 $mem $TUNED_FLAGS
        # shellcheck disable=SC2086
        measure_config "$f" aot-serial-c1 "-XX:AOTCache $TUNED_FLAGS" "" "$JAVA_HOME/bin/java" $JAVA_QUIET_FLAGS $mem \
          $TUNED_FLAGS -XX:AOTCache="$trained" -jar "$art/functions/$f/target/$f.jar"
        # shellcheck disable=SC2086
        train_aot "$f" aot-lean $mem $LEAN_FLAGS
        # shellcheck disable=SC2086
        measure_config "$f" aot-lean "-XX:AOTCache $LEAN_FLAGS" "" "$JAVA_HOME/bin/java" $JAVA_QUIET_FLAGS $mem \
          $LEAN_FLAGS -XX:AOTCache="$trained" -jar "$art/functions/$f/target/$f.jar"
        # shellcheck disable=SC2086
        measure_config "$f" aot-lean-fixed "-XX:AOTCache $LEAN_FLAGS $FIXED_FLAGS" "" "$JAVA_HOME/bin/java" \
          $JAVA_QUIET_FLAGS $mem $LEAN_FLAGS $FIXED_FLAGS -XX:AOTCache="$trained" -jar "$art/functions/$f/target/$f.jar"
      fi
    fi
    if [ "$mode" != smoke ] && [ -x "$art/functions/container/entrypoint" ] && [ -x "$art/functions/container/train-aot" ]; then
      [ -n "$current_image" ] || { prepare_image "$art" && current_image=$image; }
      vs=""
      if [ -n "$baseline_art" ] && [ -x "$baseline_art/functions/container/train-aot" ]; then
        [ -n "$baseline_image" ] || { prepare_image "$baseline_art" && baseline_image=$image; }
        vs=$(image_command "$baseline_image" "$f")
      fi
      # shellcheck disable=SC2046 # a command line
      measure_config "$f" image "functions/container/entrypoint on the jlink runtime with its trained app.aot" \
        "$vs" $(image_command "$current_image" "$f")
    fi
  done
  [ -z "$configs_note" ] || note "$configs_note"
  # Image layouts of other artefacts are not needed again (each holds a runtime and three AOT caches).
  for f in "$cache"/image-*; do
    [ ! -e "$f" ] || [ "$f" = "$current_image" ] || [ "$f" = "$baseline_image" ] || rm -rf "$f"
  done
}
