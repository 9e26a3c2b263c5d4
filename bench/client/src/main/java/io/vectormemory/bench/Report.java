package io.vectormemory.bench;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Renders one run (results.jsonl, meta.properties, the CPU monitor's log) as the markdown report: targets with
 * PASS/MISS, the load tables with ratios against the direct baseline of the same run, cold start, profile.
 */
final class Report {
    static final double COLD_START_TARGET_MS = 400;
    static final double RSS_TARGET_MIB = 100;
    /** How much a change may add to its baseline's cold start to the first request and to its CPU per search. */
    static final double BASELINE_COLD_START_GROWTH = 0.10;
    static final double BASELINE_SEARCH_CPU_GROWTH = 0.05;
    static final double SEARCH_RATIO_TARGET = 0.85;
    static final double SEARCH_RPS_TARGET = 2000;
    static final double ADDED_P99_TARGET_MS = 2;
    static final double UPSERT_POINTS_TARGET = 20_000;
    static final double UPSERT_RATIO_TARGET = 0.8;

    private final List<JsonObject> results;
    private final Properties meta;
    private final List<double[]> cpu;
    private final StringBuilder md = new StringBuilder();

    private Report(List<JsonObject> results, Properties meta, List<double[]> cpu) {
        this.results = results;
        this.meta = meta;
        this.cpu = cpu;
    }

    static String render(Path resultsFile, Path metaFile, Path cpuFile) throws IOException {
        List<JsonObject> results = new ArrayList<>();
        for (String line : Files.readAllLines(resultsFile)) {
            if (!line.isBlank()) {
                results.add(Json.createReader(new StringReader(line)).readObject());
            }
        }
        Properties meta = new Properties();
        try (var in = Files.newBufferedReader(metaFile)) {
            meta.load(in);
        }
        List<double[]> cpu = new ArrayList<>();
        if (cpuFile != null && Files.exists(cpuFile)) {
            for (String line : Files.readAllLines(cpuFile)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 5) {
                    double[] row = new double[f.length];
                    for (int i = 0; i < f.length; i++) {
                        row[i] = Double.parseDouble(f[i]);
                    }
                    cpu.add(row);
                }
            }
        }
        return new Report(results, meta, cpu).build();
    }

    private String build() {
        String mode = meta.getProperty("mode", "default");
        line("# vector-memory benchmark, " + meta.getProperty("date") + (mode.equals("default") ? "" : " (" + mode + " mode)"));
        line("");
        line("Command: `" + meta.getProperty("command") + "`  ");
        line("Machine: " + meta.getProperty("nproc") + " CPUs (" + meta.getProperty("cpu_model") + "), "
                + meta.getProperty("mem_total") + " RAM; " + meta.getProperty("os") + "; JDK " + meta.getProperty("jdk")
                + "; " + meta.getProperty("wrk") + "  ");
        line("Code: commit `" + meta.getProperty("git_commit") + "`" + (meta.getProperty("git_dirty", "").isEmpty()
                ? "" : " with uncommitted changes in " + meta.getProperty("git_dirty")) + "; jars built "
                + meta.getProperty("jars_built") + "  ");
        line("Data: " + meta.getProperty("points") + " points of dimension " + meta.getProperty("dimension") + ", "
                + meta.getProperty("users") + " users, one collection (`user_memories`) on the standalone embedded "
                + "backend (" + meta.getProperty("backend") + ")  ");
        line("Placement: " + meta.getProperty("placement") + "  ");
        line("Load: closed loop, " + meta.getProperty("duration") + " s per figure after a " + meta.getProperty("warmup")
                + " s warm-up per path and kind" + (meta.getProperty("jit_settled", "").isBlank() ? ""
                : ", then more on the function until its JIT compilers were idle (" + meta.getProperty("jit_settled").strip()
                + " in all)") + "; HTTP by wrk rotating through " + meta.getProperty("search_bodies")
                + " search bodies / " + meta.getProperty("upsert_bodies") + " batch bodies; direct by the Java gRPC client "
                + "(bench/client) rotating through the same queries and points. Every ratio divides two figures of this run.");
        line("");
        if (mode.equals("smoke")) {
            line("**Smoke mode: one second per step, to check that the harness works. These figures are not measurements.**");
            line("");
        }
        targets();
        search();
        upsert();
        seed();
        coldStart();
        profiles();
        notes();
        return md.toString();
    }

    // ---- targets

    private void targets() {
        line("## Targets");
        line("");
        line("| target | measured | result |");
        line("| --- | --- | --- |");
        Optional<JsonObject> shipped = cold("search", "image").or(() -> cold("search", "aot"));
        Optional<JsonObject> plain = cold("search", "plain");
        if (shipped.isPresent()) {
            double v = shipped.get().getJsonNumber("first_median_ms").doubleValue();
            String beside = plain.map(p -> String.format(Locale.ROOT, "; plain JVM %.0f ms, %.2f× faster with the cache",
                    num(p, "first_median_ms"), num(p, "first_median_ms") / v)).orElse("");
            row("cold start to first search ≤ " + (int) COLD_START_TARGET_MS + " ms (median, AOT cache)",
                    String.format(Locale.ROOT, "%.0f ms (`%s`)%s", v, shipped.get().getString("name"), beside),
                    v <= COLD_START_TARGET_MS);
        }
        List<JsonObject> rss = new ArrayList<>();
        for (String f : List.of("search", "upsert", "health")) {
            cold(f, "image").or(() -> cold(f, "aot")).filter(o -> o.containsKey("rss_mib")).ifPresent(rss::add);
        }
        if (!rss.isEmpty()) {
            double worst = rss.stream().mapToDouble(o -> num(o, "rss_mib")).max().orElse(0);
            row("idle RSS ≤ " + (int) RSS_TARGET_MIB + " MiB per function",
                    rss.stream().map(o -> String.format(Locale.ROOT, "%s %.0f MiB", o.getString("function"), num(o, "rss_mib")))
                            .collect(Collectors.joining(", ")) + " (`" + rss.getFirst().getString("name") + "`, "
                            + fmt(num(rss.getFirst(), "rss_after_s"), 0) + " s after launch)",
                    worst <= RSS_TARGET_MIB);
        }
        baselineTargets();
        List<int[]> levels = pairs("search");
        if (!levels.isEmpty()) {
            double minRatio = Double.MAX_VALUE;
            int minAt = 0;
            double maxRps = 0;
            int maxAt = 0;
            double maxAdded = -Double.MAX_VALUE;
            int addedAt = 0;
            for (int[] l : levels) {
                JsonObject d = load("search", "direct", l[0]).orElseThrow();
                JsonObject f = load("search", "function", l[0]).orElseThrow();
                double ratio = ratio(num(f, "rps"), num(d, "rps"));
                if (Double.isNaN(ratio) || ratio < minRatio) {
                    minRatio = ratio;
                    minAt = l[0];
                }
                if (num(f, "rps") > maxRps) {
                    maxRps = num(f, "rps");
                    maxAt = l[0];
                }
                double added = num(f, "p99_ms") - num(d, "p99_ms");
                if (added > maxAdded) {
                    maxAdded = added;
                    addedAt = l[0];
                }
            }
            row("search via function ≥ " + SEARCH_RATIO_TARGET + "× direct req/s at every concurrency",
                    String.format(Locale.ROOT, "lowest %s (c=%d)", times(minRatio), minAt), minRatio >= SEARCH_RATIO_TARGET);
            row("search via function ≥ " + fmt(SEARCH_RPS_TARGET, 0) + " req/s",
                    String.format(Locale.ROOT, "best %s req/s (c=%d)", fmt(maxRps, 0), maxAt), maxRps >= SEARCH_RPS_TARGET);
            row("search p99 added ≤ " + fmt(ADDED_P99_TARGET_MS, 0) + " ms at every concurrency",
                    String.format(Locale.ROOT, "worst +%.2f ms (c=%d)", maxAdded, addedAt), maxAdded <= ADDED_P99_TARGET_MS);
        }
        levels = pairs("upsert");
        if (!levels.isEmpty()) {
            double best = 0;
            int bestAt = 0;
            double minRatio = Double.MAX_VALUE;
            int minAt = 0;
            for (int[] l : levels) {
                JsonObject d = load("upsert", "direct", l[0]).orElseThrow();
                JsonObject f = load("upsert", "function", l[0]).orElseThrow();
                if (points(f) > best) {
                    best = points(f);
                    bestAt = l[0];
                }
                double ratio = ratio(points(f), points(d));
                if (Double.isNaN(ratio) || ratio < minRatio) {
                    minRatio = ratio;
                    minAt = l[0];
                }
            }
            row("batch upsert via function ≥ " + fmt(UPSERT_POINTS_TARGET, 0) + " points/s",
                    String.format(Locale.ROOT, "best %s points/s (c=%d)", fmt(best, 0), bestAt), best >= UPSERT_POINTS_TARGET);
            row("batch upsert via function ≥ " + UPSERT_RATIO_TARGET + "× direct at every concurrency",
                    String.format(Locale.ROOT, "lowest %s (c=%d)", times(minRatio), minAt), minRatio >= UPSERT_RATIO_TARGET);
        }
        line("");
    }

    /** With {@code bench/run --baseline REV}: this tree against REV, both measured in this run. */
    private void baselineTargets() {
        String rev = meta.getProperty("baseline", "");
        for (String f : List.of("search", "upsert", "health")) {
            Optional<JsonObject> now = cold(f, "image");
            Optional<JsonObject> before = cold(f, "image-baseline");
            if (now.isPresent() && before.isPresent()) {
                double b = num(before.get(), "first_median_ms");
                double a = num(now.get(), "first_median_ms");
                row(String.format(Locale.ROOT, "%s cold start to first request ≤ baseline + %.0f %% (`image`, "
                                + "launches alternating)", f, BASELINE_COLD_START_GROWTH * 100),
                        String.format(Locale.ROOT, "%.0f → %.0f ms (%+.1f %%) against %s", b, a, (a / b - 1) * 100, rev),
                        a <= b * (1 + BASELINE_COLD_START_GROWTH));
            }
        }
        List<String> cpu = new ArrayList<>();
        double worst = -Double.MAX_VALUE;
        int rounds = 0;
        for (int[] l : pairs("search")) {
            CpuPerRequest before = cpuPerRequest("baseline", l[0]);
            CpuPerRequest now = cpuPerRequest("function", l[0]);
            if (before.runs() == 0 || now.runs() == 0) {
                continue;
            }
            worst = Math.max(worst, now.ms() / before.ms() - 1);
            rounds = Math.max(rounds, Math.min(before.runs(), now.runs()));
            cpu.add(String.format(Locale.ROOT, "c=%d %.3f → %.3f", l[0], before.ms(), now.ms()));
        }
        if (!cpu.isEmpty()) {
            row(String.format(Locale.ROOT, "function CPU per search ≤ baseline + %.0f %% at every level",
                            BASELINE_SEARCH_CPU_GROWTH * 100),
                    String.join(", ", cpu) + String.format(Locale.ROOT, " ms (worst %+.1f %%; %d alternating runs of "
                            + "each per level) against %s", worst * 100, rounds, rev),
                    worst <= BASELINE_SEARCH_CPU_GROWTH);
        }
    }

    /** CPU per request of a search path at one level over all its runs (the first and the CPU rounds). */
    private record CpuPerRequest(int runs, double ms) {
    }

    private CpuPerRequest cpuPerRequest(String path, int c) {
        List<JsonObject> runs = cpuRuns(path, c);
        double cpu = runs.stream().mapToDouble(o -> num(o, "function_cpu_ms")).sum();
        double requests = runs.stream().mapToDouble(o -> num(o, "requests")).sum();
        return new CpuPerRequest(runs.size(), requests > 0 ? cpu / requests : Double.NaN);
    }

    // ---- load tables

    private void search() {
        List<int[]> levels = pairs("search");
        if (levels.isEmpty()) {
            return;
        }
        line("## Search: `POST /memories/search` (top-" + Dataset.SEARCH_LIMIT + ", `user_id` filter) vs direct gRPC search");
        line("");
        line("| c | direct req/s | direct p50 / p99 ms | function req/s | function p50 / p99 ms | added p99 ms | function / direct | function CPU ms / request | others' CPU |");
        line("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int[] l : levels) {
            JsonObject d = load("search", "direct", l[0]).orElseThrow();
            JsonObject f = load("search", "function", l[0]).orElseThrow();
            line(String.format(Locale.ROOT, "| %d | %s | %.2f / %.2f | %s | %.2f / %.2f | %+.2f | %s | %s | %s |",
                    l[0], fmt(num(d, "rps"), 0), num(d, "p50_ms"), num(d, "p99_ms"),
                    fmt(num(f, "rps"), 0), num(f, "p50_ms"), num(f, "p99_ms"),
                    num(f, "p99_ms") - num(d, "p99_ms"), times(ratio(num(f, "rps"), num(d, "rps"))),
                    cpuPer(f, num(f, "requests")), others(d, f)));
        }
        errors("search");
        capacity("search", "requests", "req/s");
        line("");
        if (levels.stream().anyMatch(l -> load("search", "baseline", l[0]).isPresent())) {
            line("Baseline " + meta.getProperty("baseline", "") + ": its search function measured at each level right "
                    + "before or after this tree's, on the same backend; CPU per request over all runs of each at the "
                    + "level (the first, then the CPU rounds, the order alternating), and the single runs' range.");
            line("");
            line("| c | baseline req/s | baseline p50 / p99 ms | runs | baseline CPU ms / request | function CPU ms / "
                    + "request | function / baseline |");
            line("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (int[] l : levels) {
                load("search", "baseline", l[0]).ifPresent(b -> {
                    CpuPerRequest before = cpuPerRequest("baseline", l[0]);
                    CpuPerRequest now = cpuPerRequest("function", l[0]);
                    line(String.format(Locale.ROOT, "| %d | %s | %.2f / %.2f | %d / %d | %.3f (%s) | %.3f (%s) | %+.1f %% |",
                            l[0], fmt(num(b, "rps"), 0), num(b, "p50_ms"), num(b, "p99_ms"), before.runs(), now.runs(),
                            before.ms(), cpuRange("baseline", l[0]), now.ms(), cpuRange("function", l[0]),
                            (now.ms() / before.ms() - 1) * 100));
                });
            }
            line("");
        }
    }

    private void upsert() {
        List<int[]> levels = pairs("upsert");
        if (levels.isEmpty()) {
            return;
        }
        int batch = load("upsert", "function", levels.getFirst()[0]).map(o -> o.getInt("batch", 0)).orElse(0);
        line("## Batch upsert: `POST /memories/batch` (" + batch + " points per request, `wait=true`) vs direct gRPC upsert");
        line("");
        line("| c | direct req/s | direct points/s | direct p50 / p99 ms | function req/s | function points/s | function p50 / p99 ms | added p99 ms | function / direct | function CPU ms / 1,000 points | backend CPU ms / 1,000 points | others' CPU |");
        line("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int[] l : levels) {
            JsonObject d = load("upsert", "direct", l[0]).orElseThrow();
            JsonObject f = load("upsert", "function", l[0]).orElseThrow();
            double thousands = num(f, "requests") * batch / 1000.0;
            line(String.format(Locale.ROOT, "| %d | %s | %s | %.1f / %.1f | %s | %s | %.1f / %.1f | %+.1f | %s | %s | %s | %s |",
                    l[0], fmt(num(d, "rps"), 0), fmt(points(d), 0), num(d, "p50_ms"), num(d, "p99_ms"),
                    fmt(num(f, "rps"), 0), fmt(points(f), 0), num(f, "p50_ms"), num(f, "p99_ms"),
                    num(f, "p99_ms") - num(d, "p99_ms"), times(ratio(points(f), points(d))),
                    cpuPer(f, thousands), backendCpuPer(f, thousands), others(d, f)));
        }
        errors("upsert");
        capacity("upsert", "points", "points/s");
        line("");
    }

    /** The function's CPU time during a measured run divided by what it served ("-" when not recorded). */
    private static String cpuPer(JsonObject f, double units) {
        return f.containsKey("function_cpu_ms") && units > 0 ? fmt(num(f, "function_cpu_ms") / units, 3) : "-";
    }

    private static String backendCpuPer(JsonObject f, double units) {
        return f.containsKey("backend_cpu_ms") && units > 0 ? fmt(num(f, "backend_cpu_ms") / units, 1) : "-";
    }

    /**
     * What one CPU of the function alone could serve, from its lowest CPU cost per request in this run: the
     * throughput the function would reach with a core to itself and a backend that keeps up (wrk and, for
     * upserts, the embedded backend's index building are what hold the measured figures down here).
     */
    private void capacity(String kind, String unit, String rate) {
        double best = Double.MAX_VALUE;
        int at = 0;
        for (JsonObject o : results) {
            if (kind.equals(o.getString("kind", "")) && "function".equals(o.getString("path", ""))
                    && o.containsKey("function_cpu_ms") && num(o, "requests") > 0) {
                double perRequest = num(o, "function_cpu_ms") / num(o, "requests");
                if (perRequest > 0 && perRequest < best) {
                    best = perRequest;
                    at = o.getInt("c");
                }
            }
        }
        if (best == Double.MAX_VALUE) {
            return;
        }
        double perUnit = kind.equals("upsert") ? best / load("upsert", "function", at).map(o -> o.getInt("batch", 1))
                .orElse(1) : best;
        line("");
        line(String.format(Locale.ROOT, "Function CPU: %.3f ms per %s at best (c=%d), so one CPU of its own would "
                        + "serve about %s %s; measured from the function process's CPU time during each run.",
                perUnit, unit.equals("points") ? "point" : "request", at, fmt(1000 / perUnit, 0), rate));
    }

    private void errors(String kind) {
        for (JsonObject o : results) {
            if (kind.equals(o.getString("kind", "")) && o.containsKey("errors") && num(o, "errors") > 0) {
                line("");
                line(String.format(Locale.ROOT, "**%s %s c=%d: %.0f failed requests%s** (not counted in req/s).",
                        kind, o.getString("path"), o.getInt("c"), num(o, "errors"),
                        o.containsKey("first_error") ? ", first: " + o.getString("first_error") : ""));
            }
        }
    }

    private void seed() {
        for (JsonObject o : results) {
            if ("seed".equals(o.getString("kind", ""))) {
                int retries = o.getInt("retries", 0);
                line(String.format(Locale.ROOT, "Seeding through the upsert function: %s points in %.1f s = %s points/s "
                                + "(%d workers, %d points per request, into an empty collection%s).",
                        fmt(num(o, "points"), 0), num(o, "seconds"), fmt(num(o, "points_per_s"), 0),
                        o.getInt("workers"), o.getInt("batch"),
                        retries == 0 ? "" : "; " + retries + " requests answered 503 and were retried after Retry-After"));
                line("");
            }
        }
    }

    private void coldStart() {
        List<JsonObject> runs = results.stream().filter(o -> "coldstart".equals(o.getString("kind", ""))).toList();
        if (runs.isEmpty()) {
            return;
        }
        line("## Cold start and idle memory");
        line("");
        line("From process launch to the first 200 of `/readyz` and to the first 200 of a real request sent as soon as "
                + "it is ready (search: top-5 search, gRPC channel and backend round trip included; upsert: one memory; "
                + "health: `/health`, which asks the backend). Median of the launches (min–max); idle RSS (`VmRSS`) of "
                + "the last launch " + fmt(num(runs.getFirst(), "rss_after_s"), 0) + " s after launch; stop = SIGTERM to exit. "
                + meta.getProperty("coldstart_placement", ""));
        line("");
        line("| function | configuration | ready ms | first request ms | vs plain | idle RSS MiB (anon + file) | stop ms | others' CPU | JVM options |");
        line("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        for (JsonObject o : runs) {
            Optional<JsonObject> plain = cold(o.getString("function"), "plain");
            String vs = plain.filter(p -> p != o).map(p -> String.format(Locale.ROOT, "%.2f× faster",
                    num(p, "first_median_ms") / num(o, "first_median_ms"))).orElse("");
            line(String.format(Locale.ROOT, "| %s | `%s` | %.0f (%s) | %.0f (%s) | %s | %s | %.0f | %s | %s |",
                    o.getString("function"), o.getString("name"),
                    num(o, "ready_median_ms"), range(o.getJsonArray("ready_ms")),
                    num(o, "first_median_ms"), range(o.getJsonArray("first_ms")), vs,
                    o.containsKey("rss_mib") ? String.format(Locale.ROOT, "%.0f (%.0f + %.0f)", num(o, "rss_mib"),
                            num(o, "rss_anon_mib"), num(o, "rss_file_mib")) : "", num(o, "stop_median_ms"),
                    others(o), o.getString("desc", "")));
        }
        line("");
    }

    private void profiles() {
        List<JsonObject> profiles = results.stream().filter(o -> "profile".equals(o.getString("kind", ""))).toList();
        if (profiles.isEmpty()) {
            return;
        }
        line("## Profile (JFR execution samples while under load)");
        line("");
        for (JsonObject p : profiles) {
            JsonObject s = p.getJsonObject("summary");
            line("### " + p.getString("title"));
            line("");
            line(String.format(Locale.ROOT, "%d CPU samples (plus %d native-method samples, threads blocked in native "
                    + "code such as socket reads); %s.", s.getInt("samples"), s.getInt("native_samples"), p.getString("how", "")));
            line("");
            line("Where the CPU samples go (first non-JDK frame of each stack):");
            line("");
            line("| component | share |");
            line("| --- | ---: |");
            for (JsonValue v : s.getJsonArray("components")) {
                JsonObject c = v.asJsonObject();
                line(String.format(Locale.ROOT, "| %s | %.1f %% |", c.getString("frame"), num(c, "percent")));
            }
            line("");
            line("Hottest code: self time charged to the first non-JDK frame of the stack (the library or service "
                    + "method that spent it, JDK code it called included):");
            line("");
            line("| # | frame | share |");
            line("| ---: | --- | ---: |");
            int rank = 1;
            for (JsonValue v : s.getJsonArray("owners") == null ? List.<JsonValue>of() : s.getJsonArray("owners")) {
                JsonObject c = v.asJsonObject();
                line(String.format(Locale.ROOT, "| %d | `%s` | %.1f %% |", rank++, c.getString("frame"), num(c, "percent")));
            }
            line("");
            JsonArray serviceOwners = s.getJsonArray("service_owners");
            if (serviceOwners != null && !serviceOwners.isEmpty()) {
                line("The same charged to the nearest service method (io.vectormemory) on the stack: what in our code "
                        + "the time is spent for:");
                line("");
                line("| # | service method | share |");
                line("| ---: | --- | ---: |");
                rank = 1;
                for (JsonValue v : serviceOwners) {
                    JsonObject c = v.asJsonObject();
                    line(String.format(Locale.ROOT, "| %d | `%s` | %.1f %% |", rank++, c.getString("frame"), num(c, "percent")));
                }
                line("");
            }
            line("Hottest frames (self time; a JDK frame with the first non-JDK caller):");
            line("");
            line("| # | frame | share |");
            line("| ---: | --- | ---: |");
            int i = 1;
            for (JsonValue v : s.getJsonArray("self")) {
                JsonObject c = v.asJsonObject();
                line(String.format(Locale.ROOT, "| %d | `%s` | %.1f %% |", i++, c.getString("frame"), num(c, "percent")));
            }
            line("");
            JsonArray ours = s.getJsonArray("ours_inclusive");
            if (!ours.isEmpty()) {
                line("Service methods by inclusive time (the method or anything it calls is on the CPU):");
                line("");
                line("| frame | share |");
                line("| --- | ---: |");
                for (JsonValue v : ours) {
                    JsonObject c = v.asJsonObject();
                    line(String.format(Locale.ROOT, "| `%s` | %.1f %% |", c.getString("frame"), num(c, "percent")));
                }
                line("");
            }
        }
    }

    private void notes() {
        List<String> notes = results.stream().filter(o -> "note".equals(o.getString("kind", "")))
                .map(o -> o.getString("text")).collect(Collectors.toCollection(ArrayList::new));
        if (!cpu.isEmpty()) {
            double maxOthers = cpu.stream().mapToDouble(r -> r[3]).max().orElse(0);
            double meanOthers = cpu.stream().mapToDouble(r -> r[3]).average().orElse(0);
            double meanSteal = cpu.stream().mapToDouble(r -> r[4]).average().orElse(0);
            notes.add(String.format(Locale.ROOT, "Other processes on the machine used %.2f CPUs on average during the run "
                    + "(peak %.2f), hypervisor steal %.2f CPUs on average (sampled every second from /proc; \"others' CPU\" "
                    + "columns are the mean over each measurement).", meanOthers, maxOthers, meanSteal));
        }
        if (notes.isEmpty()) {
            return;
        }
        line("## Notes");
        line("");
        for (String n : notes) {
            line("* " + n);
        }
        line("");
    }

    // ---- helpers

    /** Concurrency levels measured on both paths of a kind, in order. */
    private List<int[]> pairs(String kind) {
        TreeSet<Integer> levels = new TreeSet<>();
        for (JsonObject o : results) {
            if (kind.equals(o.getString("kind", "")) && o.containsKey("c")) {
                int c = o.getInt("c");
                if (load(kind, "direct", c).isPresent() && load(kind, "function", c).isPresent()) {
                    levels.add(c);
                }
            }
        }
        return levels.stream().map(c -> new int[] {c}).toList();
    }

    /** The run of a path at a level that the tables show (the CPU rounds after it only count in the CPU figures). */
    private Optional<JsonObject> load(String kind, String path, int c) {
        return results.stream().filter(o -> kind.equals(o.getString("kind", "")) && path.equals(o.getString("path", ""))
                && o.containsKey("c") && o.getInt("c") == c && !o.containsKey("round")).reduce((a, b) -> b);
    }

    /** Every recorded search run of a path at a level with its CPU (the first and the CPU rounds). */
    private List<JsonObject> cpuRuns(String path, int c) {
        return results.stream().filter(o -> "search".equals(o.getString("kind", "")) && path.equals(o.getString("path", ""))
                && o.containsKey("c") && o.getInt("c") == c && o.containsKey("function_cpu_ms")
                && num(o, "requests") > 0).toList();
    }

    /** Lowest–highest CPU per request of a search path's single runs at a level. */
    private String cpuRange(String path, int c) {
        DoubleSummaryStatistics range = cpuRuns(path, c).stream()
                .mapToDouble(o -> num(o, "function_cpu_ms") / num(o, "requests")).summaryStatistics();
        return String.format(Locale.ROOT, "%.3f–%.3f", range.getMin(), range.getMax());
    }

    private Optional<JsonObject> cold(String function, String name) {
        return results.stream().filter(o -> "coldstart".equals(o.getString("kind", ""))
                && function.equals(o.getString("function", "")) && name.equals(o.getString("name", ""))).reduce((a, b) -> b);
    }

    /** a / b, or NaN when the baseline measured nothing. */
    private static double ratio(double a, double b) {
        return b > 0 ? a / b : Double.NaN;
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f×", ratio);
    }

    private static double points(JsonObject o) {
        return num(o, "rps") * o.getInt("batch", 1);
    }

    /** Mean CPU of other processes during both measurements of a row. */
    private String others(JsonObject... measurements) {
        if (cpu.isEmpty()) {
            return "";
        }
        double sum = 0;
        int n = 0;
        for (JsonObject m : measurements) {
            if (!m.containsKey("t0_ms")) {
                continue;
            }
            double t0 = num(m, "t0_ms");
            double t1 = num(m, "t1_ms");
            for (double[] r : cpu) {
                if (r[0] > t0 + 500 && r[0] <= t1 + 500) {
                    sum += r[3];
                    n++;
                }
            }
        }
        return n == 0 ? "" : String.format(Locale.ROOT, "%.2f", sum / n);
    }

    private static String range(JsonArray values) {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (JsonValue v : values) {
            double d = ((jakarta.json.JsonNumber) v).doubleValue();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        return String.format(Locale.ROOT, "%.0f–%.0f", min, max);
    }

    private static double num(JsonObject o, String key) {
        return o.getJsonNumber(key).doubleValue();
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    private void row(String target, String measured, boolean pass) {
        line("| " + target + " | " + measured + " | " + (pass ? "PASS" : "**MISS**") + " |");
    }

    private void line(String s) {
        md.append(s).append('\n');
    }
}
