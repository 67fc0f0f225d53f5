package dev.layerwise.bridge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The bridge uses core's types only and knows nothing of the workbench. */
class BridgeArchitectureTest {

    private static final JavaClasses BRIDGE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.layerwise.bridge");

    @Test
    void bridgeDependsNeitherOnTheAppNorOnJavaFx() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.layerwise.app..", "javafx..").check(BRIDGE);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.layerwise.bridge.(*)..").should().beFreeOfCycles().check(BRIDGE);
    }
}
