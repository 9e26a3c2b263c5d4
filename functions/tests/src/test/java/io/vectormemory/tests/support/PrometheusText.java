package io.vectormemory.tests.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4, what Prometheus asks for with
 * {@code text/plain}): every line must be a {@code # HELP}, {@code # TYPE} or other comment, or a sample
 * {@code name{label="value",...} value [timestamp]}; a line that is none of these fails the test.
 */
public final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"\\s*(,|$)");
    private static final Pattern VALUE = Pattern.compile("[+-]?(Inf|NaN|\\d+(\\.\\d*)?([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?)");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public boolean has(Map<String, String> wanted) {
            return labels.entrySet().containsAll(wanted.entrySet());
        }
    }

    private final List<Sample> samples;
    private final Map<String, String> types;

    private PrometheusText(List<Sample> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                if (types.put(type.group(1), type.group(2)) != null) {
                    fail("line " + n + ": a second TYPE for " + type.group(1));
                }
                continue;
            }
            if (line.startsWith("#")) {
                if (line.startsWith("# HELP") && !HELP.matcher(line).matches()) {
                    fail("line " + n + ": not a HELP line: " + line);
                }
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches() || !VALUE.matcher(sample.group(4)).matches()) {
                fail("line " + n + ": not a sample: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            String body = sample.group(3) == null ? "" : sample.group(3);
            Matcher label = LABEL.matcher(body);
            int at = 0;
            while (at < body.length()) {
                if (!label.find(at) || label.start() != at) {
                    fail("line " + n + ": bad labels: " + line);
                }
                labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\n", "\n")
                        .replace("\\\\", "\\"));
                at = label.end();
            }
            String v = sample.group(4);
            double value = v.endsWith("Inf") ? (v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                    : Double.parseDouble(v);
            samples.add(new Sample(sample.group(1), labels, value));
        }
        return new PrometheusText(samples, types);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Families by their TYPE lines. */
    public Map<String, String> types() {
        return types;
    }

    /** The names of every sample ({@code _total}, {@code _bucket}, … included). */
    public Set<String> sampleNames() {
        return samples.stream().map(Sample::name).collect(Collectors.toSet());
    }

    public List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }
}
