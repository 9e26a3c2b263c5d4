package io.vectormemory.embedded;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    @Test
    void defaults() {
        EmbeddedQdrant.Options o = Main.options(null, null, null);
        assertEquals("127.0.0.1", o.bindAddress());
        assertEquals(6334, o.port());
        assertEquals(Path.of("./data/embedded"), o.dataDir());
        assertNull(o.apiKey());
    }

    @Test
    void inProcessOptionsBindLoopback() {
        EmbeddedQdrant.Options o = new EmbeddedQdrant.Options(0, null, null);
        assertEquals("127.0.0.1", o.bindAddress());
        assertEquals(EmbeddedQdrant.Options.inMemory(), o);
    }

    @Test
    void environmentOverrides() {
        EmbeddedQdrant.Options o = Main.options("7334", "/tmp/q", "k");
        assertEquals(7334, o.port());
        assertEquals(Path.of("/tmp/q"), o.dataDir());
        assertEquals("k", o.apiKey());
        assertNull(Main.options(null, null, "  ").apiKey());
        assertThrows(IllegalArgumentException.class, () -> Main.options("x", null, null));
        assertThrows(IllegalArgumentException.class, () -> Main.options("70000", null, null));
    }

    @Test
    void hostFromTheEnvironmentAndAWarningWhenOpenWithoutKey() {
        EmbeddedQdrant.Options all = Main.options(" 0.0.0.0 ", null, null, null, null);
        assertEquals("0.0.0.0", all.bindAddress());
        assertTrue(Main.openToTheNetworkWithoutKey(all).orElseThrow().contains("WITHOUT an API key"));
        assertTrue(Main.openToTheNetworkWithoutKey(Main.options("0.0.0.0", null, null, "k", null)).isEmpty());
        assertTrue(Main.openToTheNetworkWithoutKey(Main.options(null, null, null, null, null)).isEmpty());
        assertTrue(Main.openToTheNetworkWithoutKey(Main.options("::1", null, null, null, null)).isEmpty());
        assertTrue(Main.openToTheNetworkWithoutKey(Main.options("localhost", null, null, null, null)).isEmpty());
    }

    @Test
    void warnsOfTheSerialCollector() {
        assertTrue(Main.serialCollector(java.util.List.of("Copy", "MarkSweepCompact")).orElseThrow()
                .contains("-XX:+UseG1GC"));
        assertTrue(Main.serialCollector(java.util.List.of("G1 Young Generation", "G1 Old Generation")).isEmpty());
    }

    @Test
    void storage() {
        assertEquals(EmbeddedQdrant.Storage.LUCENE, Main.options(null, null, null).effectiveStorage());
        assertEquals(EmbeddedQdrant.Storage.LUCENE, Main.options(null, null, "/d", null, "Lucene").effectiveStorage());
        EmbeddedQdrant.Options memory = Main.options(null, null, "/d", null, "memory");
        assertEquals(EmbeddedQdrant.Storage.MEMORY, memory.effectiveStorage());
        assertNull(memory.dataDir());
        assertEquals(EmbeddedQdrant.Storage.JOURNALED_MEMORY,
                Main.options(null, null, "/d", null, "journaled-memory").effectiveStorage());
        assertThrows(IllegalArgumentException.class, () -> Main.options(null, null, null, null, "disk"));
    }
}
