package dev.layerwise.sample;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module arrow: sample-maker → core only; the engine never sees how its sample is made. */
class SampleMakerArchitectureTest {

    private static final JavaClasses SAMPLE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.layerwise.sample");

    @Test
    void sampleMakerDependsOnNeitherTheAppNorTheBridgeNorAUi() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.layerwise.app..", "dev.layerwise.bridge..",
                "javafx..", "javax.swing..").check(SAMPLE);
    }
}
