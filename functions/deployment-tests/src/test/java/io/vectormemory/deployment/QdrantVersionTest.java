package io.vectormemory.deployment;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Qdrant server the tests run against where Docker exists (pom.xml qdrant.image, Testcontainers) is the one
 * production deploys (terraform/variables.tf qdrant_image_tag): what passes the tests is what runs.
 */
class QdrantVersionTest {
    @Test
    void testcontainersAndProductionPinTheSameQdrant() throws IOException {
        Matcher pom = Pattern.compile("<qdrant\\.image>qdrant/qdrant:([^<]+)</qdrant\\.image>")
                .matcher(Files.readString(Manifests.ROOT.resolve("pom.xml")));
        assertTrue(pom.find(), "pom.xml: <qdrant.image>qdrant/qdrant:TAG</qdrant.image>");
        Matcher terraform = Pattern.compile("(?s)variable \"qdrant_image_tag\" \\{.*?default\\s*=\\s*\"([^\"]+)\"")
                .matcher(Files.readString(Manifests.ROOT.resolve("terraform/variables.tf")));
        assertTrue(terraform.find(), "terraform/variables.tf: variable qdrant_image_tag with a default");
        assertEquals(terraform.group(1), pom.group(1),
                "pom.xml qdrant.image (Testcontainers) and terraform/variables.tf qdrant_image_tag (production) differ");
    }
}
