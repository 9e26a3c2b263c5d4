package io.vectormemory.tests.reliability;

import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.WritableHeaders;
import io.vectormemory.http.routing.ApiKeys;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Key comparison must not reveal how much of a guess is right (the Rust service compared in non-constant time).
 * Two wrong keys of the configured key's length are timed against each other, interleaved: one differs in the
 * first character, the other only in the last. With an early-exit comparison the second costs more the longer
 * the key; with {@link ApiKeys} both must cost the same.
 * <p>
 * To be robust on a noisy machine the key is long (so a leak would be large), each sample times a batch of
 * calls, the two kinds alternate in random order, and medians are compared. The same harness is first run on a
 * plain {@link String#equals} as a control: if it cannot see that leak, the measurement proves nothing and the
 * test fails.
 */
class ApiKeyTimingTest {
    private static final int KEY_LENGTH = 8192;
    private static final int WARMUP = 100;
    private static final int SAMPLES = 400;
    private static final int CALLS_PER_SAMPLE = 32;
    private static volatile boolean sinkHole;

    private static String randomKey(Random r) {
        byte[] b = new byte[KEY_LENGTH / 2];
        r.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String differingAt(String key, int index) {
        char[] c = key.toCharArray();
        c[index] = c[index] == 'a' ? 'b' : 'a';
        return new String(c);
    }

    private static ServerRequestHeaders apiKey(String value) {
        WritableHeaders<?> h = WritableHeaders.create();
        h.add(HeaderNames.create("X-API-Key"), value);
        return ServerRequestHeaders.create(h);
    }

    /** Median time of a batch for keys differing early, divided by that for keys differing late. */
    private static double lateOverEarly(Predicate<Object> check, Object early, Object late) {
        Random order = new Random(7);
        long[] e = new long[SAMPLES];
        long[] l = new long[SAMPLES];
        boolean sink = false;
        for (int i = -WARMUP; i < SAMPLES; i++) {
            boolean earlyFirst = order.nextBoolean();
            for (int k = 0; k < 2; k++) {
                Object candidate = (k == 0) == earlyFirst ? early : late;
                long start = System.nanoTime();
                for (int c = 0; c < CALLS_PER_SAMPLE; c++) {
                    sink ^= check.test(candidate);
                }
                long took = System.nanoTime() - start;
                if (i >= 0) {
                    (candidate == early ? e : l)[i] = took;
                }
            }
        }
        sinkHole = sink; // keeps the JIT from dropping the calls
        return (double) median(l) / median(e);
    }

    private static long median(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    @Test
    void theCostOfAWrongKeyDoesNotDependOnHowManyLeadingCharactersMatch() {
        String key = randomKey(new SecureRandom());
        String early = differingAt(key, 0);
        String late = differingAt(key, KEY_LENGTH - 1);

        // Control: an early-exit comparison of the same strings must show up clearly.
        double naive = lateOverEarly(candidate -> key.equals(candidate), early, late);

        ApiKeys keys = ApiKeys.of(List.of(key, randomKey(new Random(3))));
        ServerRequestHeaders earlyHeaders = apiKey(early);
        ServerRequestHeaders lateHeaders = apiKey(late);
        assertFalse(keys.accepts(earlyHeaders) || keys.accepts(lateHeaders));
        assertTrue(keys.accepts(apiKey(key)));
        double constant = lateOverEarly(h -> keys.accepts((ServerRequestHeaders) h), earlyHeaders, lateHeaders);

        System.out.printf("KEY TIMING: %d-character key, median cost ratio (last character wrong / first character "
                + "wrong): String.equals %.2f, ApiKeys %.3f%n", KEY_LENGTH, naive, constant);
        assertTrue(naive > 2.0, () -> "the harness cannot see an early-exit comparison (ratio " + naive
                + "): the measurement is too noisy to judge ApiKeys");
        assertTrue(constant > 0.8 && constant < 1.25, () -> "ApiKeys takes " + constant + "x as long for a key that is"
                + " wrong only in its last character as for one wrong in its first");
    }
}
