package dev.layerwise.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.layerwise.app.common.CompositionRoot;
import dev.layerwise.app.common.Seam;
import org.junit.jupiter.api.Test;

/**
 * The workbench's layering: views show, view models decide and call the engine and the bridge
 * through their seams. Exceptions are marked where they live ({@link Seam},
 * {@link CompositionRoot}), never listed here by name.
 */
class WorkbenchArchitectureTest {

    private static final JavaClasses APP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.layerwise.app");

    private static final String ENGINE_SEAM = "dev.layerwise.app.engine..";
    private static final String CLI = "dev.layerwise.app.cli..";

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.layerwise.app.(*)..").should().beFreeOfCycles().check(APP);
    }

    @Test
    void viewsHoldNoEngineObjects() {
        noClasses().that().haveSimpleNameEndingWith("View").or().haveSimpleNameEndingWith("Window")
                .or().haveSimpleNameEndingWith("Chart")
                .should().dependOnClassesThat().resideInAnyPackage("dev.layerwise.core.engine..", "dev.layerwise.core.analysis..",
                        "dev.layerwise.core.compare..", "dev.layerwise.core.onnx..", "dev.layerwise.core.preprocess..",
                        ENGINE_SEAM)
                .check(APP);
    }

    @Test
    void onlyViewModelsAndTheCompositionRootReachTheEngineSeam() {
        noClasses().that().haveSimpleNameNotEndingWith("ViewModel").and().resideOutsideOfPackage(ENGINE_SEAM)
                .and().areNotAnnotatedWith(CompositionRoot.class)
                .should().dependOnClassesThat().resideInAPackage(ENGINE_SEAM)
                .check(APP);
    }

    @Test
    void viewsHoldNoBridgeObjects() {
        noClasses().that().haveSimpleNameEndingWith("View").or().haveSimpleNameEndingWith("Window")
                .should().dependOnClassesThat().resideInAnyPackage("dev.layerwise.bridge..")
                .orShould().dependOnClassesThat().areAnnotatedWith(Seam.class)
                .check(APP);
    }

    @Test
    void inTheWorkbenchOnlyTheSeamCallsTheBridge() {
        // the command line uses the bridge directly; the window goes through DeviceBridge
        noClasses().that().resideOutsideOfPackage(CLI).and().areNotAnnotatedWith(Seam.class)
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.layerwise.bridge.run.Bridge")
                .check(APP);
    }

    @Test
    void theWindowDoesNotRunCommands() {
        noClasses().that().resideOutsideOfPackage(CLI).and().resideOutsideOfPackage("dev.layerwise.app")
                .should().dependOnClassesThat().resideInAPackage(CLI)
                .check(APP);
    }

    @Test
    void viewModelsDoNotTouchControls() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..", "org.jfree..",
                        "org.controlsfx..")
                .check(APP);
    }
}
