package io.vectormemory.bench;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Summarises a JFR recording's CPU samples ({@code jdk.ExecutionSample}): the hottest frames (a JDK frame is
 * shown with the first non-JDK caller that got there), the same charged to that first non-JDK frame (so a
 * library method that spends its time in the JDK shows up as one line), the service's own methods by inclusive
 * time, and where the samples go by library (the first non-JDK frame of each stack decides).
 */
final class HotFrames {
    private static final Map<String, String> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put("io.vectormemory.", "service code (io.vectormemory)");
        COMPONENTS.put("io.helidon.", "Helidon web server");
        COMPONENTS.put("io.grpc.netty.shaded.io.netty.", "Netty (inside gRPC)");
        COMPONENTS.put("io.grpc.", "gRPC");
        COMPONENTS.put("com.google.protobuf.", "protobuf");
        COMPONENTS.put("io.qdrant.", "Qdrant client");
        COMPONENTS.put("org.eclipse.parsson.", "JSON (Parsson)");
        COMPONENTS.put("jakarta.json.", "JSON (Parsson)");
        COMPONENTS.put("io.micrometer.", "metrics");
        COMPONENTS.put("io.prometheus.", "metrics");
        COMPONENTS.put("com.google.common.", "Guava");
        COMPONENTS.put("org.apache.lucene.", "Lucene");
    }

    private HotFrames() {
    }

    static JsonObject summarise(Path recording, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> owners = new HashMap<>();
        Map<String, Integer> serviceOwners = new HashMap<>();
        Map<String, Integer> ours = new HashMap<>();
        Map<String, Integer> components = new HashMap<>();
        int samples = 0;
        int nativeSamples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.NativeMethodSample")) {
                nativeSamples++;
                continue;
            }
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            String topFrame = name(frames.getFirst());
            String firstOwn = null;
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (!isJdk(n)) {
                    firstOwn = n;
                    break;
                }
            }
            String label = isJdk(topFrame) && firstOwn != null ? topFrame + " ← " + firstOwn : topFrame;
            self.merge(label, 1, Integer::sum);
            owners.merge(firstOwn == null ? topFrame : firstOwn, 1, Integer::sum);
            String service = "(no service method on the stack)";
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("io.vectormemory.") && !n.contains("$$Lambda") && !n.contains(".lambda$")) {
                    service = n;
                    break;
                }
            }
            serviceOwners.merge(service, 1, Integer::sum);
            components.merge(firstOwn == null ? "JDK only (scheduler, I/O, GC helpers)" : component(firstOwn), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("io.vectormemory.") && !n.contains("$$Lambda") && !n.contains(".lambda$") && seen.add(n)) {
                    ours.merge(n, 1, Integer::sum);
                }
            }
        }
        return Json.createObjectBuilder()
                .add("samples", samples)
                .add("native_samples", nativeSamples)
                .add("self", ranked(self, samples, top))
                .add("owners", ranked(owners, samples, top))
                .add("service_owners", ranked(serviceOwners, samples, top))
                .add("ours_inclusive", ranked(ours, samples, top))
                .add("components", ranked(components, samples, components.size()))
                .build();
    }

    private static JsonArrayBuilder ranked(Map<String, Integer> counts, int samples, int top) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(en -> a.add(Json.createObjectBuilder()
                        .add("frame", en.getKey())
                        .add("samples", en.getValue())
                        .add("percent", samples == 0 ? 0 : 100.0 * en.getValue() / samples)));
        return a;
    }

    private static String name(RecordedFrame frame) {
        RecordedMethod m = frame.getMethod();
        if (m == null) {
            return "?";
        }
        // lambda classes carry their address (Foo$$Lambda.0x0000...): one name for all of them
        String type = m.getType().getName().replaceAll("\\$\\$Lambda[./0-9a-fx]*", "\\$\\$Lambda");
        return type + "." + m.getName();
    }

    private static boolean isJdk(String frame) {
        return frame.startsWith("java.") || frame.startsWith("jdk.") || frame.startsWith("sun.")
                || frame.startsWith("com.sun.") || frame.equals("?");
    }

    private static String component(String frame) {
        for (Map.Entry<String, String> c : COMPONENTS.entrySet()) {
            if (frame.startsWith(c.getKey())) {
                return c.getValue();
            }
        }
        int dot = frame.indexOf('.', frame.indexOf('.') + 1);
        return dot > 0 ? frame.substring(0, dot) : frame;
    }
}
