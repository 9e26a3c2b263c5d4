package io.vectormemory.deployment;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No Docker engine runs here, so functions/Dockerfile is checked for what makes the image the thing CI tests
 * (.ci/validate/container-check runs the same scripts): it builds with the scripts in functions/container/,
 * trains the AOT cache at the very paths the final stage runs from, starts with the entrypoint, as a user
 * that is not root.
 */
class DockerfileTest {
    private static List<String> instructions() throws IOException {
        // Joined continuation lines, without comments.
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(Manifests.ROOT.resolve("functions/Dockerfile"))) {
            if (line.strip().startsWith("#") || line.isBlank()) {
                continue;
            }
            current.append(line.endsWith("\\") ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!line.endsWith("\\")) {
                out.add(current.toString().strip().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        return out;
    }

    @Test
    void buildsWithTheScriptsCiRuns() throws IOException {
        String all = String.join("\n", instructions());
        for (String script : List.of("functions/container/build-runtime /opt/jre", "functions/container/assemble \"${FUNCTION}\" /app",
                "functions/container/train-aot /app")) {
            assertTrue(all.contains(script), "functions/Dockerfile does not run " + script);
        }
        assertTrue(all.matches("(?s).*RUN [^\n]*mvn [^\n]*package.*"), "the image is built by the Maven build");
    }

    /**
     * The official images move a major or major.minor tag (maven:3.9-eclipse-temurin-25, debian:12-slim) to every
     * update; a full version tag (maven:3.9.11-eclipse-temurin-25) is frozen once superseded, and the jlink
     * runtime of every image is cut from the build image's JDK. So a base image is either such a moving tag or
     * pinned by digest (a deliberate, reproducible choice).
     */
    @Test
    void baseImagesKeepGettingUpdates() throws IOException {
        int images = 0;
        for (String line : instructions()) {
            Matcher arg = Pattern.compile("ARG (\\w+_IMAGE)=(\\S+)").matcher(line);
            if (!arg.matches()) {
                continue;
            }
            images++;
            String image = arg.group(2);
            if (image.contains("@sha256:")) {
                continue;
            }
            String tag = image.substring(image.lastIndexOf(':') + 1);
            String version = tag.split("-")[0];
            assertTrue(version.matches("\\d+(\\.\\d+)?"), arg.group(1) + "=" + image
                    + ": a full version tag stops getting updates once superseded; use the major.minor tag or a digest");
        }
        assertTrue(images >= 2, "functions/Dockerfile: ARG BUILD_IMAGE and ARG BASE_IMAGE");
    }

    @Test
    void finalStageRunsWhereTheCacheWasTrained() throws IOException {
        List<String> lines = instructions();
        int lastFrom = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FROM ")) {
                lastFrom = i;
            }
        }
        List<String> last = lines.subList(lastFrom, lines.size());
        assertTrue(last.contains("COPY --from=build /opt/jre /opt/jre"), "the runtime at the path it was trained with");
        assertTrue(last.contains("COPY --from=build /app /app"), "the application at the path it was trained with");
        String env = String.join(" ", last.stream().filter(l -> l.startsWith("ENV ")).toList());
        assertTrue(env.contains("APP_HOME=/app") && env.contains("JAVA_HOME=/opt/jre"), "ENV APP_HOME and JAVA_HOME: " + env);
        assertTrue(last.contains("ENTRYPOINT [\"/app/bin/entrypoint\"]"), "the start command is the tested entrypoint");
        Matcher user = Pattern.compile("USER (\\d+)(:\\d+)?").matcher(String.join("\n", last));
        assertTrue(user.find(), "a numeric USER (Kubernetes checks runAsNonRoot against it)");
        assertTrue(Integer.parseInt(user.group(1)) > 0, "not root");
        assertEquals(1, last.stream().filter(l -> l.startsWith("FROM ")).count());
    }
}
