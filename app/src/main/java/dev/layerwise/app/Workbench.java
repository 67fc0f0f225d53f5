package dev.layerwise.app;

import dev.layerwise.app.common.CompositionRoot;
import dev.layerwise.app.common.ErrorReporter;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.TaskRunner;
import dev.layerwise.app.compare.CompareViewModel;
import dev.layerwise.app.compare.DatasetCompareViewModel;
import dev.layerwise.app.device.DeviceBridge;
import dev.layerwise.app.device.DeviceViewModel;
import dev.layerwise.app.engine.Engine;
import dev.layerwise.app.layers.LayersViewModel;
import dev.layerwise.app.layers.VendorViewModel;
import dev.layerwise.app.project.ProjectViewModel;
import dev.layerwise.app.workspace.RecentFiles;
import dev.layerwise.app.workspace.WorkspaceViewModel;
import java.nio.file.Path;

/**
 * The view models of one window and how they talk: a finished run fills the Layers view, and
 * every change of a layer's type rebuilds the hybrid model for the Compare view. Made by
 * {@link #create}, for the window by {@link App#compose} and without a window by the view-model
 * tests, so that they test the wiring the window has; views get it to reach their view models.
 */
@CompositionRoot
public final class Workbench {

    private final TaskRunner runner;
    private final ErrorReporter errors;
    private final ProjectViewModel project;
    private final LayersViewModel layers;
    private final CompareViewModel compare;
    private final DatasetCompareViewModel datasetCompare;
    private final DeviceViewModel device;
    private final WorkspaceViewModel workspace;
    private final VendorViewModel vendor;
    private final Path sample;

    private Workbench(TaskRunner runner, ErrorReporter errors, ProjectViewModel project, LayersViewModel layers,
            CompareViewModel compare, DatasetCompareViewModel datasetCompare, DeviceViewModel device, WorkspaceViewModel workspace,
            VendorViewModel vendor, Path sample) {
        this.datasetCompare = datasetCompare;
        this.vendor = vendor;
        this.runner = runner;
        this.errors = errors;
        this.project = project;
        this.layers = layers;
        this.compare = compare;
        this.device = device;
        this.workspace = workspace;
        this.sample = sample;
        // the cross-view wiring, all of it: a finished run fills the Layers view; every change of
        // layer types (a tick: layer L -> type T, or a new run's rows) rebuilds the hybrid model for
        // Compare at once, a newer change cancelling the rebuild in flight
        project.resultProperty().addListener((o, was, now) -> {
            if (now != null) {
                layers.show(now);
                vendor.rematch(now);
            }
        });
        layers.onTypeChange(change -> compare.rebuild(change.run(), change.picks()));
        // each toolkit's promotion types and usual promotion: int16 for RKNN-Toolkit, float16 for RKNN-Toolkit2
        project.toolkitProperty().addListener((o, was, now) -> layers.useToolkit(now));
        // and the rebuild's result comes back to where the user picks: the hybrid's line in the chart,
        // its final cosine and top-1 agreement in the toolbar
        compare.hybridEntireProperty().addListener((o, was, now) -> layers.hybridEntireProperty().set(now));
        compare.hybridResultProperty().addListener((o, was, now) -> layers.showHybrid(now,
                compare.hybridPlan() == null ? 0 : compare.hybridPlan().promotedLayers().size()));
    }

    /**
     * Makes the view models of one window and wires them; shows nothing, so it runs without a window.
     *
     * @param runner where engine work runs
     * @param devices the npu-bridge
     * @param deviceRunner where bridge calls run
     * @param recent the recent-files list the workspace keeps
     * @param sample the bundled sample's model, or null
     */
    public static Workbench create(Engine engine, TaskRunner runner, DeviceBridge devices, TaskRunner deviceRunner,
            ErrorReporter errors, Messages messages, RecentFiles recent, Path sample) {
        ProjectViewModel project = new ProjectViewModel(engine, runner, errors, messages);
        LayersViewModel layers = new LayersViewModel(runner, errors, messages);
        CompareViewModel compare = new CompareViewModel(engine, runner, errors, messages);
        DeviceViewModel device = new DeviceViewModel(engine, devices, runner, deviceRunner, compare, errors, messages);
        WorkspaceViewModel workspace = new WorkspaceViewModel(engine, runner, errors, messages, project, layers, compare, recent);
        VendorViewModel vendor = new VendorViewModel(engine, runner, errors, messages, workspace::announce);
        DatasetCompareViewModel datasetCompare = new DatasetCompareViewModel(engine, runner, errors, messages, compare);
        return new Workbench(runner, errors, project, layers, compare, datasetCompare, device, workspace, vendor, sample);
    }

    /** Rebuilds the hybrid model from the current ticks and compares it. */
    public void rebuild() {
        if (project.result() != null) {
            compare.rebuild(project.result(), layers.types());
        }
    }

    /**
     * Makes {@code image} the analysed input and runs again with the same picks (the calibration is
     * kept): the Layers view and the Compare cards then show that image, e.g. the dataset's worst.
     */
    public void analyseInput(Path image) {
        project.inputProperty().set(image);
        project.run();
    }

    /** Opens the bundled sample and runs it. */
    public void openSample() {
        if (sample != null) {
            workspace.openSample(sample);
        }
    }

    public void notice(String text) {
        workspace.announce(text);
    }

    public TaskRunner runner() {
        return runner;
    }

    public ErrorReporter errors() {
        return errors;
    }

    public ProjectViewModel project() {
        return project;
    }

    public LayersViewModel layers() {
        return layers;
    }

    public CompareViewModel compare() {
        return compare;
    }

    /** The Compare view's comparison over the dataset. */
    public DatasetCompareViewModel datasetCompare() {
        return datasetCompare;
    }

    public DeviceViewModel device() {
        return device;
    }

    public WorkspaceViewModel workspace() {
        return workspace;
    }

    /** A vendor error_analysis.txt set beside the Layers view. */
    public VendorViewModel vendor() {
        return vendor;
    }
}
