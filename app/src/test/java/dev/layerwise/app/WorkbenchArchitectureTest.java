package dev.layerwise.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The workbench's layering: views show, view models decide and call the engine. */
class WorkbenchArchitectureTest {

    private static final JavaClasses APP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.layerwise.app");

    @Test
    void viewsHoldNoEngineObjects() {
        noClasses().that().haveSimpleNameEndingWith("View").or().haveSimpleName("MainWindow")
                .or().haveSimpleNameEndingWith("Chart")
                .should().dependOnClassesThat().resideInAnyPackage("dev.layerwise.core.engine..", "dev.layerwise.core.analysis..",
                        "dev.layerwise.core.compare..", "dev.layerwise.core.onnx..", "dev.layerwise.core.preprocess..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.layerwise.app.project.Engine")
                .check(APP);
    }

    @Test
    void onlyViewModelsAndTheCompositionRootReachTheEngineSeam() {
        noClasses().that().haveSimpleNameNotEndingWith("ViewModel").and().doNotHaveSimpleName("App")
                .and().doNotHaveSimpleName("CoreEngine").and().doNotHaveSimpleName("Engine")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.layerwise.app.project.Engine")
                .check(APP);
    }

    @Test
    void viewsHoldNoBridgeObjects() {
        noClasses().that().haveSimpleNameEndingWith("View").or().haveSimpleName("MainWindow")
                .should().dependOnClassesThat().resideInAnyPackage("dev.layerwise.bridge..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.layerwise.app.device.DeviceBridge")
                .check(APP);
    }

    @Test
    void onlyViewModelsAndTheCompositionRootReachTheDeviceBridgeSeam() {
        noClasses().that().haveSimpleNameNotEndingWith("ViewModel").and().doNotHaveSimpleName("App")
                .and().doNotHaveSimpleName("DeviceBridge").and().resideOutsideOfPackage("dev.layerwise.app.device..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.layerwise.app.device.DeviceBridge")
                .check(APP);
    }

    @Test
    void inTheWorkbenchOnlyTheSeamCallsTheBridge() {
        // the CLI's device commands use the bridge directly; the window goes through DeviceBridge
        noClasses().that().haveSimpleNameNotEndingWith("Command").and().doNotHaveSimpleName("DeviceOptions")
                .and().haveNameNotMatching("dev\\.layerwise\\.app\\.device\\.DeviceBridge(\\$.*)?")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.layerwise.bridge.run.Bridge")
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
