#!/usr/bin/env bash
# Benchmark of the embedded Qdrant-protocol server (standalone processes; see
# src/test/java/io/vectormemory/embedded/bench/Benchmark.java for what it measures).
#
#   shared/embedded/bench.sh                      # 100k points of 1024 dimensions, 100 users (~15-30 min)
#   shared/embedded/bench.sh --points 20000 --sizes 10000,20000 --dim 256
#   shared/embedded/bench.sh stalls --seconds 30 --checkpoint-ms 1000   # upsert latency while checkpoints run
#                                                                      # (CheckpointStalls.java)
#   shared/embedded/bench.sh tail --rounds 3      # upsert p50/p99 while the server, pinned to CPU 1 as in
#                                                 # bench/run, indexes in the background (UpsertTail.java)
#
# Options: --points --sizes --dim --users --batch --writers --queries --reference-queries
#          --recall-queries --heap --work --report (default shared/embedded/target/bench/report.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bin/java-env
mvn -B -ntp -q -pl shared/embedded test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
flags="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
cp="shared/embedded/target/test-classes:shared/embedded/target/classes:$(cat shared/embedded/target/test-classpath.txt)"
main=io.vectormemory.embedded.bench.Benchmark
if [ "${1:-}" = stalls ]; then
  main=io.vectormemory.embedded.bench.CheckpointStalls
  shift
elif [ "${1:-}" = tail ]; then
  main=io.vectormemory.embedded.bench.UpsertTail
  shift
fi
# shellcheck disable=SC2086
exec java $flags -Dembedded.jvm.flags="$flags" -Xmx2g -cp "$cp" "$main" "$@"
