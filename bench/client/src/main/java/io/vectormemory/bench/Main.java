package io.vectormemory.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The benchmark's tools, one sub-command each; {@code bench/run} drives them. Results are JSON lines on stdout.
 *
 * <pre>
 * bodies   --dir D [data options] --search-bodies N --upsert-bodies N --batch B
 * seed     --url URL --key K [data options] --batch B --workers W
 * direct   --qdrant URL --qdrant-key K [data options] --search-bodies N --upsert-bodies N --batch B
 *          then reads "search|upsert CONCURRENCY WARMUP_S SECONDS" lines from stdin, answers one JSON line each
 * coldstart --name N --function F --desc D --port P --runs R --rss-after S --method M --path P [--body FILE]
 *          --key K --log FILE [--baseline-name N --baseline-desc D --baseline-command "COMMAND"] -- COMMAND...
 * hot-frames --jfr FILE --title T --how H [--top N]
 * monitor  --root PID --out FILE
 * report   --results FILE --meta FILE --cpu FILE --out FILE
 * data options: --dimension 1024 --users 100 --points-per-user 100 --seed 42
 * </pre>
 */
public final class Main {
    private Main() {
    }

    /** Held so the level set on it is not lost to garbage collection. */
    private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

    public static void main(String[] args) throws Exception {
        GRPC_LOG.setLevel(Level.WARNING);
        if (args.length == 0) {
            System.err.println("usage: bench-client bodies|seed|direct|coldstart|hot-frames|monitor|report [options]");
            System.exit(2);
        }
        Map<String, String> o = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--")) {
                rest.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        switch (args[0]) {
            case "bodies" -> RequestBodies.writeAll(dataset(o), Path.of(o.get("dir")), integer(o, "search-bodies", 1000),
                    integer(o, "upsert-bodies", 128), integer(o, "batch", 100));
            case "seed" -> System.out.println(Seeding.run(dataset(o), o.get("url"), o.get("key"),
                    integer(o, "batch", 100), integer(o, "workers", 2)));
            case "direct" -> direct(o);
            case "coldstart" -> coldStart(o, rest);
            case "hot-frames" -> System.out.println(Json.createObjectBuilder()
                    .add("kind", "profile")
                    .add("title", o.get("title"))
                    .add("how", o.getOrDefault("how", ""))
                    .add("summary", HotFrames.summarise(Path.of(o.get("jfr")), integer(o, "top", 20)))
                    .build());
            case "monitor" -> CpuMonitor.run(Long.parseLong(o.get("root")), Path.of(o.get("out")), 1000);
            case "report" -> {
                String md = Report.render(Path.of(o.get("results")), Path.of(o.get("meta")),
                        o.containsKey("cpu") ? Path.of(o.get("cpu")) : null);
                Files.writeString(Path.of(o.get("out")), md);
                System.out.print(md);
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /** The direct baseline as a long-lived process: one JIT-warm client for every level, told what to run on stdin. */
    private static void direct(Map<String, String> o) throws Exception {
        Dataset data = dataset(o);
        int searchBodies = integer(o, "search-bodies", 1000);
        int upsertBodies = integer(o, "upsert-bodies", 128);
        int batch = integer(o, "batch", 100);
        try (DirectBaseline direct = new DirectBaseline(o.get("qdrant"), o.get("qdrant-key"), data);
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("{\"ready\":true}");
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length != 4) {
                    continue;
                }
                int c = Integer.parseInt(f[1]);
                double warmup = Double.parseDouble(f[2]);
                double seconds = Double.parseDouble(f[3]);
                JsonObject r = switch (f[0]) {
                    case "search" -> DirectBaseline.tagged(direct.search(searchBodies, c, warmup, seconds), "search", "direct", c, 0);
                    case "upsert" -> DirectBaseline.tagged(direct.upsert(upsertBodies, batch, c, warmup, seconds), "upsert", "direct", c, batch);
                    default -> throw new IllegalArgumentException("unknown load " + f[0]);
                };
                System.out.println(r);
                System.out.flush();
            }
        }
    }

    private static Dataset dataset(Map<String, String> o) {
        return new Dataset(integer(o, "dimension", 1024), integer(o, "users", 100), integer(o, "points-per-user", 100),
                Long.parseLong(o.getOrDefault("seed", "42")));
    }

    private static int integer(Map<String, String> o, String key, int otherwise) {
        return o.containsKey(key) ? Integer.parseInt(o.get(key)) : otherwise;
    }

    /** The configuration to measure and, with {@code --baseline-command}, its baseline: one line each. */
    private static void coldStart(Map<String, String> o, List<String> command) throws Exception {
        List<ColdStart.Config> configs = new ArrayList<>();
        if (o.containsKey("baseline-command")) {
            configs.add(new ColdStart.Config(o.get("baseline-name"), o.getOrDefault("baseline-desc", ""),
                    List.of(o.get("baseline-command").trim().split("\\s+"))));
        }
        configs.add(new ColdStart.Config(o.get("name"), o.getOrDefault("desc", ""), command));
        ColdStart.Probe probe = new ColdStart.Probe(o.getOrDefault("method", "GET"), o.get("path"),
                o.containsKey("body") ? Files.readAllBytes(Path.of(o.get("body"))) : null, o.get("key"));
        for (JsonObject line : ColdStart.run(configs, o.get("function"), Path.of(o.get("log")), integer(o, "port", 0),
                integer(o, "runs", 5), Double.parseDouble(o.getOrDefault("rss-after", "10")), probe)) {
            System.out.println(line);
        }
    }
}
