package io.vectormemory.tests;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;

/**
 * The layering of the main code, read from the compiled classes: functions → shared HTTP → shared Qdrant, no
 * package cycle anywhere, no Helidon or JSON in the Qdrant module, and no function that reaches into another.
 */
class ArchitectureTest {
    private static final String QDRANT = "io.vectormemory.qdrant..";
    private static final String HTTP = "io.vectormemory.http..";
    private static final String EMBEDDED = "io.vectormemory.embedded..";
    private static final List<String> FUNCTIONS = List.of("io.vectormemory.upsert..", "io.vectormemory.search..",
            "io.vectormemory.health..");
    private static final String LOCAL = "io.vectormemory.local..";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.vectormemory");

    @ParameterizedTest
    @ValueSource(strings = {"io.vectormemory.qdrant.store", "io.vectormemory.qdrant.calls",
            "io.vectormemory.http.routing", "io.vectormemory.http.server", "io.vectormemory.upsert",
            "io.vectormemory.search", "io.vectormemory.health", "io.vectormemory.local",
            "io.vectormemory.embedded.engine"})
    void everyLayerIsImported(String pkg) {
        // The rules below would hold vacuously for a package that is not on the class path.
        assertThat(MAIN.stream().filter(c -> c.getPackageName().equals(pkg)).count(), greaterThan(0L));
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.vectormemory.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void qdrantModuleKnowsNothingOfHttp() {
        noClasses().that().resideInAPackage(QDRANT)
                .should().dependOnClassesThat().resideInAnyPackage(Stream.concat(
                        Stream.of("io.helidon..", "jakarta.json..", "org.eclipse.parsson..", HTTP, EMBEDDED, LOCAL),
                        FUNCTIONS.stream()).toArray(String[]::new))
                .because("shared/qdrant is the Qdrant client module and nothing else")
                .check(MAIN);
    }

    @Test
    void httpModuleKnowsNoFunction() {
        noClasses().that().resideInAPackage(HTTP)
                .should().dependOnClassesThat().resideInAnyPackage(Stream.concat(
                        Stream.of(EMBEDDED, LOCAL), FUNCTIONS.stream()).toArray(String[]::new))
                .because("shared/http serves any function and knows none of their handlers")
                .check(MAIN);
    }

    @Test
    void functionsDoNotReachIntoEachOther() {
        for (String function : FUNCTIONS) {
            noClasses().that().resideInAPackage(function)
                    .should().dependOnClassesThat().resideInAnyPackage(Stream.concat(
                            Stream.of(EMBEDDED, LOCAL), FUNCTIONS.stream().filter(f -> !f.equals(function)))
                            .toArray(String[]::new))
                    .because("each function deploys alone; only the local launcher mounts them together")
                    .check(MAIN);
        }
    }

    @Test
    void onlyTheLocalLauncherEmbedsTheBackend() {
        noClasses().that().resideOutsideOfPackages(EMBEDDED, LOCAL)
                .should().dependOnClassesThat().resideInAPackage(EMBEDDED)
                .because("the embedded backend is for local runs and tests, never deployed with a function")
                .check(MAIN);
    }
}
