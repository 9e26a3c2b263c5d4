package io.vectormemory.embedded.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark on a tiny data set, so that it keeps working; the real run is {@code shared/embedded/bench.sh}. */
class BenchmarkSmokeTest {

    @TempDir
    Path dir;

    @Test
    void runsOnATinyDataSet() throws Exception {
        Benchmark.Options options = Benchmark.Options.parse(new String[]{
                "--points", "800", "--sizes", "300,800", "--dim", "32", "--users", "10", "--batch", "50",
                "--writers", "2", "--queries", "20", "--reference-queries", "10", "--recall-queries", "5",
                "--heap", "256m", "--work", dir.toString(), "--report", dir.resolve("report.md").toString()});
        String report = new Benchmark(options).run();
        for (String expected : new String[]{"ingest 300→800", "filter user_id", "recall@10", "RSS (MiB)",
                "after SIGKILL", "journaled-memory (first release"}) {
            assertTrue(report.contains(expected), () -> "missing \"" + expected + "\" in\n" + report);
        }
        assertTrue(Files.size(dir.resolve("report.md")) > 0);
    }
}
