package io.vectormemory.http.server;

import io.vectormemory.qdrant.settings.PointIdScheme;
import io.vectormemory.qdrant.settings.QdrantSettings;
import io.vectormemory.qdrant.settings.SettingsException;
import io.vectormemory.qdrant.settings.WriteOrdering;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SettingsTest {
    private static final String KEY_32 = "0123456789abcdef0123456789abcdef";
    private static final String KEY_64 = KEY_32 + "fedcba9876543210fedcba9876543210";

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static SettingsException refused(Map<String, String> env) {
        return assertThrows(SettingsException.class, () -> Settings.from(env));
    }

    @Test
    void defaults() {
        Settings s = Settings.from(env("AUTH_DISABLED", "true"));
        assertThat(s.qdrant().url(), is(URI.create("http://localhost:6334")));
        assertThat(s.qdrant().tls(), is(false));
        assertThat(s.qdrant().apiKey(), is(Optional.empty()));
        assertThat(s.qdrant().memoriesCollection(), is("user_memories"));
        assertThat(s.qdrant().documentsCollection(), is("user_documents"));
        assertThat(s.qdrant().vectorDimension(), is(1024));
        assertThat(s.server().host(), is("0.0.0.0"));
        assertThat(s.server().port(), is(8090));
        assertThat(s.server().serviceApiKeys(), is(empty()));
        assertThat(s.server().authDisabled(), is(true));
        assertThat(s.server().mode(), is(ServerSettings.Mode.PRODUCTION));
        assertThat(s.qdrant().pointIdScheme(), is(PointIdScheme.SIPHASH));
        assertThat(s.qdrant().timeoutMillis(), is(5000L));
        assertThat(s.qdrant().healthTimeoutMillis(), is(1000L));
        assertThat(s.server().lifecycle().readTimeoutMillis(), is(30_000L));
        assertThat(s.server().lifecycle().idleTimeoutMillis(), is(120_000L));
        assertThat(s.limits().pointIdMaxBytes(), is(1024));
        assertThat(s.limits().maxRequestLine(), is(4096));
        assertThat(s.limits().searchMaxLimit(), is(100));
        assertThat(s.limits().scrollMaxLimit(), is(10_000));
        assertThat(s.limits().batchMaxPoints(), is(1000));
        assertThat(s.limits().maxBodyBytes(), is(32L * 1024 * 1024));
        assertThat(s.qdrant().clusterLayout(), is(QdrantSettings.ClusterLayout.SINGLE_NODE));
        assertThat(s.qdrant().schemaTimeoutMillis(), is(15_000L));
        assertThat(s.qdrant().requestBudgetMillis(), is(30_000L));
        assertThat(s.qdrant().writeOrdering(), is(WriteOrdering.WEAK));
        assertThat(s.qdrant().maxNamespaces(), is(64));
    }

    @Test
    void replicatedLayoutsWriteWithMediumOrderingUnlessTold() {
        assertThat(Settings.from(env("AUTH_DISABLED", "true", "QDRANT_REPLICATION_FACTOR", "2"))
                .qdrant().writeOrdering(), is(WriteOrdering.MEDIUM));
        assertThat(Settings.from(env("AUTH_DISABLED", "true", "QDRANT_REPLICATION_FACTOR", "1"))
                .qdrant().writeOrdering(), is(WriteOrdering.WEAK));
        Settings s = Settings.from(env("AUTH_DISABLED", "true", "QDRANT_REPLICATION_FACTOR", "2",
                "QDRANT_WRITE_ORDERING", " Strong "));
        assertThat(s.qdrant().writeOrdering(), is(WriteOrdering.STRONG));
        assertThat(s.redacted(), containsString("write_ordering=strong max_namespaces=64"));
        assertThat(Settings.from(env("AUTH_DISABLED", "true", "QDRANT_REPLICATION_FACTOR", "3",
                "QDRANT_WRITE_ORDERING", "weak")).qdrant().writeOrdering(), is(WriteOrdering.WEAK));
    }

    @Test
    void theRequestBudgetCoversASchemaChange() {
        Settings s = Settings.from(env("AUTH_DISABLED", "true", "QDRANT_SCHEMA_TIMEOUT_MS", "45000"));
        assertThat(s.qdrant().schemaTimeoutMillis(), is(45_000L));
        assertThat(s.qdrant().requestBudgetMillis(), is(45_000L));
        assertThat(s.redacted(), containsString("qdrant_schema_timeout_ms=45000"));
    }

    @Test
    void collectionNamesKeepSnapshotFileNamesValid() {
        String longest = "m".repeat(193);
        assertThat(Settings.from(env("AUTH_DISABLED", "true", "QDRANT_COLLECTION_NAME", longest))
                .qdrant().memoriesCollection(), is(longest));
        SettingsException e = refused(env("AUTH_DISABLED", "true", "QDRANT_DOCUMENTS_COLLECTION_NAME", longest + "d"));
        assertThat(e.problems().get(0), containsString("1-193 characters"));
    }

    @Test
    void clusterLayout() {
        Settings s = Settings.from(env("AUTH_DISABLED", "true", "QDRANT_SHARD_NUMBER", "6",
                "QDRANT_REPLICATION_FACTOR", "3", "QDRANT_WRITE_CONSISTENCY_FACTOR", "2"));
        assertThat(s.qdrant().clusterLayout(), is(new QdrantSettings.ClusterLayout(Optional.of(6), Optional.of(3), Optional.of(2))));
        assertThat(s.redacted(), containsString("shard_number=6 replication_factor=3 write_consistency_factor=2"));
        assertThat(Settings.from(env("AUTH_DISABLED", "true")).redacted(),
                containsString("shard_number=default replication_factor=default write_consistency_factor=default"));
    }

    @Test
    void writeConsistencyCannotExceedReplication() {
        SettingsException e = refused(env("AUTH_DISABLED", "true", "QDRANT_WRITE_CONSISTENCY_FACTOR", "2"));
        assertThat(e.problems(), hasSize(1));
        assertThat(e.problems().get(0), startsWith("QDRANT_WRITE_CONSISTENCY_FACTOR"));
        e = refused(env("AUTH_DISABLED", "true", "QDRANT_REPLICATION_FACTOR", "2",
                "QDRANT_WRITE_CONSISTENCY_FACTOR", "3"));
        assertThat(e.problems(), hasSize(1));
        assertThat(e.problems().get(0), startsWith("QDRANT_WRITE_CONSISTENCY_FACTOR"));
    }

    @Test
    void explicitValuesAreRead() {
        Settings s = Settings.from(env(
                "QDRANT_URL", "https://qdrant.example:6443",
                "QDRANT_API_KEY", "qdrant-secret",
                "QDRANT_COLLECTION_NAME", "mem-A",
                "QDRANT_DOCUMENTS_COLLECTION_NAME", "docs_B",
                "QDRANT_VECTOR_DIMENSION", "8",
                "HOST", "127.0.0.1",
                "PORT", "0",
                "SERVICE_API_KEY", KEY_32,
                "SERVICE_MODE", "Development",
                "POINT_ID_SCHEME", "UUID5",
                "QDRANT_TIMEOUT_MS", "250",
                "HEALTH_TIMEOUT_MS", "50",
                "SEARCH_MAX_LIMIT", "7",
                "SCROLL_MAX_LIMIT", "70",
                "BATCH_MAX_POINTS", "3",
                "MAX_BODY_BYTES", "1024",
                "HTTP_READ_TIMEOUT_MS", "2000",
                "HTTP_IDLE_TIMEOUT_MS", "7000",
                "POINT_ID_MAX_BYTES", "4096"));
        assertThat(s.qdrant().url(), is(URI.create("https://qdrant.example:6443")));
        assertThat(s.qdrant().tls(), is(true));
        assertThat(s.qdrant().apiKey(), is(Optional.of("qdrant-secret")));
        assertThat(s.qdrant().memoriesCollection(), is("mem-A"));
        assertThat(s.qdrant().documentsCollection(), is("docs_B"));
        assertThat(s.qdrant().vectorDimension(), is(8));
        assertThat(s.server().host(), is("127.0.0.1"));
        assertThat(s.server().port(), is(0));
        assertThat(s.server().serviceApiKeys(), contains(KEY_32));
        assertThat(s.server().authDisabled(), is(false));
        assertThat(s.server().mode(), is(ServerSettings.Mode.DEVELOPMENT));
        assertThat(s.qdrant().pointIdScheme(), is(PointIdScheme.UUID5));
        assertThat(s.qdrant().timeoutMillis(), is(250L));
        assertThat(s.qdrant().healthTimeoutMillis(), is(50L));
        assertThat(s.limits().searchMaxLimit(), is(7));
        assertThat(s.limits().scrollMaxLimit(), is(70));
        assertThat(s.limits().batchMaxPoints(), is(3));
        assertThat(s.limits().maxBodyBytes(), is(1024L));
        assertThat(s.server().lifecycle().readTimeoutMillis(), is(2000L));
        assertThat(s.server().lifecycle().idleTimeoutMillis(), is(7000L));
        assertThat(s.limits().pointIdMaxBytes(), is(4096));
        // room for a route with the longest id, every byte percent-encoded
        assertThat(s.limits().maxRequestLine(), is(3 * 4096 + 1024));
    }

    @Test
    void blankValuesMeanTheDefault() {
        Settings s = Settings.from(env("AUTH_DISABLED", "true", "PORT", "  ", "QDRANT_API_KEY", ""));
        assertThat(s.server().port(), is(8090));
        assertThat(s.qdrant().apiKey(), is(Optional.empty()));
    }

    @ParameterizedTest(name = "[{index}] {0}={1}")
    @CsvSource(delimiter = '|', value = {
            "QDRANT_URL|ftp://qdrant:6334",
            "QDRANT_URL|localhost:6334",
            "QDRANT_URL|http://",
            "QDRANT_URL|http://exa mple:6334",
            "QDRANT_COLLECTION_NAME|user memories",
            "QDRANT_COLLECTION_NAME|a/b",
            "QDRANT_DOCUMENTS_COLLECTION_NAME|docs.v2",
            "QDRANT_VECTOR_DIMENSION|0",
            "QDRANT_VECTOR_DIMENSION|1024.0",
            "QDRANT_VECTOR_DIMENSION|abc",
            "QDRANT_VECTOR_DIMENSION|65537",
            "PORT|-1",
            "PORT|65536",
            "PORT|99999999999",
            "AUTH_DISABLED|yes",
            "SERVICE_MODE|staging",
            "POINT_ID_SCHEME|md5",
            "QDRANT_TIMEOUT_MS|0",
            "QDRANT_TIMEOUT_MS|600001",
            "HEALTH_TIMEOUT_MS|soon",
            "SEARCH_MAX_LIMIT|0",
            "SCROLL_MAX_LIMIT|100001",
            "BATCH_MAX_POINTS|0",
            "MAX_BODY_BYTES|1023",
            "HTTP_READ_TIMEOUT_MS|99",
            "HTTP_IDLE_TIMEOUT_MS|999",
            "HTTP_IDLE_TIMEOUT_MS|3600001",
            "POINT_ID_MAX_BYTES|0",
            "POINT_ID_MAX_BYTES|8193",
            "QDRANT_SHARD_NUMBER|0",
            "QDRANT_SHARD_NUMBER|many",
            "QDRANT_REPLICATION_FACTOR|17",
            "QDRANT_WRITE_CONSISTENCY_FACTOR|0",
            "QDRANT_WRITE_ORDERING|eventual",
            "QDRANT_SCHEMA_TIMEOUT_MS|0",
            "QDRANT_SCHEMA_TIMEOUT_MS|600001",
            "QDRANT_MAX_NAMESPACES|-1",
            "QDRANT_MAX_NAMESPACES|lots",
    })
    void badValueNamesTheVariable(String name, String value) {
        Map<String, String> env = env("SERVICE_API_KEY", KEY_32, name, value);
        SettingsException e = refused(env);
        assertThat(e.problems(), hasSize(1));
        assertThat(e.problems().get(0), startsWith(name + "="));
        assertThat(e.getMessage(), containsString(name));
    }

    @Test
    void everyBadValueIsReportedInOneException() {
        SettingsException e = refused(env(
                "AUTH_DISABLED", "true",
                "PORT", "http",
                "QDRANT_VECTOR_DIMENSION", "-3",
                "POINT_ID_SCHEME", "sha1",
                "QDRANT_URL", "grpc://qdrant"));
        assertThat(e.problems(), hasSize(4));
        List<String> problems = e.problems();
        assertThat(problems.stream().filter(p -> p.startsWith("PORT=")).count(), is(1L));
        assertThat(problems.stream().filter(p -> p.startsWith("QDRANT_VECTOR_DIMENSION=")).count(), is(1L));
        assertThat(problems.stream().filter(p -> p.startsWith("POINT_ID_SCHEME=")).count(), is(1L));
        assertThat(problems.stream().filter(p -> p.startsWith("QDRANT_URL=")).count(), is(1L));
        for (String p : problems) {
            assertThat(e.getMessage(), containsString(p));
        }
    }

    @Test
    void badValuesAndMissingKeyAreReportedTogether() {
        SettingsException e = refused(env("PORT", "x"));
        assertThat(e.problems(), hasSize(2));
        assertThat(e.getMessage(), containsString("PORT="));
        assertThat(e.getMessage(), containsString("SERVICE_API_KEY"));
    }

    @Test
    void authFailsClosedWithoutKey() {
        SettingsException e = refused(env());
        assertThat(e.problems(), hasSize(1));
        assertThat(e.problems().get(0), startsWith("SERVICE_API_KEY"));
        assertThat(e.problems().get(0), containsString("AUTH_DISABLED"));
    }

    @ParameterizedTest(name = "[{index}] SERVICE_API_KEY=\"{0}\"")
    @ValueSource(strings = {"", " ", ",", " , ,"})
    void blankKeysAreNoKeys(String keys) {
        SettingsException e = refused(env("SERVICE_API_KEY", keys, "SERVICE_MODE", "development"));
        assertThat(e.problems(), hasSize(1));
        assertThat(e.problems().get(0), startsWith("SERVICE_API_KEY"));
    }

    @Test
    void authDisabledFalseIsNotEnough() {
        SettingsException e = refused(env("AUTH_DISABLED", "false"));
        assertThat(e.problems().get(0), startsWith("SERVICE_API_KEY"));
    }

    @Test
    void productionRefusesShortKeysWithoutShowingThem() {
        String shortKey = "short-but-secret-31-characters!";
        assertThat(shortKey.length(), is(31));
        SettingsException e = refused(env("SERVICE_API_KEY", KEY_64 + "," + shortKey));
        assertThat(e.problems(), hasSize(1));
        assertThat(e.problems().get(0), startsWith("SERVICE_API_KEY"));
        assertThat(e.problems().get(0), containsString("#2"));
        assertThat(e.getMessage(), not(containsString(shortKey)));
        assertThat(e.getMessage(), not(containsString(KEY_64)));
    }

    @Test
    void productionAcceptsThirtyTwoCharacterKeys() {
        Settings s = Settings.from(env("SERVICE_API_KEY", KEY_32, "SERVICE_MODE", "production"));
        assertThat(s.server().serviceApiKeys(), contains(KEY_32));
        assertThat(s.server().authDisabled(), is(false));
    }

    @Test
    void developmentAcceptsShortKeys() {
        Settings s = Settings.from(env("SERVICE_API_KEY", "dev", "SERVICE_MODE", "development"));
        assertThat(s.server().serviceApiKeys(), contains("dev"));
        assertThat(s.server().mode(), is(ServerSettings.Mode.DEVELOPMENT));
    }

    @Test
    void severalCommaSeparatedKeys() {
        String second = "ZYXWVUTSRQPONMLKJIHGFEDCBA987654";
        Settings s = Settings.from(env("SERVICE_API_KEY", " " + KEY_32 + " ,, " + second + ","));
        assertThat(s.server().serviceApiKeys(), contains(KEY_32, second));
    }

    @Test
    void redactedNeverShowsSecrets() {
        String qdrantKey = "qdrant-api-key-value-123";
        String second = "ZYXWVUTSRQPONMLKJIHGFEDCBA987654";
        Settings s = Settings.from(env(
                "SERVICE_API_KEY", KEY_32 + "," + second,
                "QDRANT_API_KEY", qdrantKey));
        String line = s.redacted();
        assertThat(line, not(containsString(KEY_32)));
        assertThat(line, not(containsString(second)));
        assertThat(line, not(containsString(qdrantKey)));
        assertThat(line, not(containsString("0123456789abcdef")));
        assertThat(line, containsString("qdrant_api_key=<set>"));
        assertThat(line, containsString("auth=2 key(s)"));
    }

    @Test
    void redactedReportsDisabledAuthAndUnsetKey() {
        String line = Settings.from(env("AUTH_DISABLED", "TRUE")).redacted();
        assertThat(line, containsString("auth=DISABLED"));
        assertThat(line, containsString("qdrant_api_key=<unset>"));
    }

    @Test
    void withersChangeOneField() {
        Settings s = Settings.from(env("AUTH_DISABLED", "true"));
        assertThat(s.withPort(1234).server().port(), is(1234));
        assertThat(s.withPort(1234).withPort(8090), is(s));
        assertThat(s.withQdrantUrl(URI.create("http://other:1")).qdrant().url(), is(URI.create("http://other:1")));
        assertThat(s.withQdrantUrl(URI.create("http://other:1")).withQdrantUrl(s.qdrant().url()), is(s));
    }
}
