package io.vectormemory.qdrant.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class NamespacesTest {
    private static final String BASE = "user_memories";

    /** The examples of the Rust service's namespace rule, verbatim. */
    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "feedback_false_positive|user_memories_feedback_false_positive",
            "feedback_positive|user_memories_feedback_positive",
            "Feedback-False Positive!|user_memories_feedback_falsepositive",
            "__x--y__|user_memories_x__y",
    })
    void upstreamExamples(String namespace, String collection) {
        assertThat(Namespaces.collection(BASE, namespace), is(collection));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
            "ABC123|abc123",
            "a.b c/d|abcd",
            "-a-|a",
            "_-_|''",
            "Ünïcödé|ncd",
            // Non-ASCII digits and letters are dropped, not folded (Rust's is_ascii_alphanumeric).
            "x٣y|xy",
            "ǅemo|emo",
            "tab\there|tabhere",
            "😀ok😀|ok",
    })
    void sanitise(String namespace, String expected) {
        assertThat(Namespaces.sanitise(namespace), is(expected));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> default collection")
    @NullAndEmptySource
    @ValueSource(strings = {"ß", "   ", "!!!", "__", "-", "ß-ü"})
    void emptyAfterSanitisingMeansTheDefaultCollection(String namespace) {
        assertThat(Namespaces.sanitise(namespace), is(""));
        assertThat(Namespaces.collection(BASE, namespace), is(BASE));
    }

    @Test
    void baseCollectionIsUsedAsGiven() {
        assertThat(Namespaces.collection("Other-Base", "ns"), is("Other-Base_ns"));
    }
}
