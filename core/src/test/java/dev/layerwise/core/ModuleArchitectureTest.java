package dev.layerwise.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module arrows: app → core, app → npu-bridge, npu-bridge → core; core knows no UI. */
class ModuleArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.layerwise.core");

    @Test
    void coreImportsNothingFromJavaFxOrAwtWindows() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..", "javax.swing..", "org.controlsfx..",
                "org.jfree..").check(CORE);
    }

    @Test
    void coreDependsOnNeitherTheAppNorTheBridge() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.layerwise.app..", "dev.layerwise.bridge..")
                .check(CORE);
    }

    @Test
    void onlyTheRuntimePackageTalksToOnnxRuntimeSessions() {
        noClasses().that().resideOutsideOfPackages("dev.layerwise.core.runtime..", "dev.layerwise.core.onnx..")
                .should().dependOnClassesThat().haveFullyQualifiedName("ai.onnxruntime.OrtSession")
                .check(CORE);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.layerwise.core.(*)..").should().beFreeOfCycles().check(CORE);
    }
}
