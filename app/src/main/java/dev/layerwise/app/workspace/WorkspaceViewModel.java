package dev.layerwise.app.workspace;

import dev.layerwise.app.common.BackgroundTask;
import dev.layerwise.app.common.ErrorMessages;
import dev.layerwise.app.common.ErrorReporter;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.TaskRunner;
import dev.layerwise.app.compare.CompareViewModel;
import dev.layerwise.app.layers.LayersViewModel;
import dev.layerwise.app.engine.Engine;
import dev.layerwise.app.project.ProjectViewModel;
import dev.layerwise.app.project.RunResult;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.rknn.RknnScript;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import dev.layerwise.app.project.SidebarFields;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Files in and out of the workbench: workspaces, RKNN cfgs, models dropped on the window,
 * recent files. Reading and writing happen on the worker; the settings are captured and
 * applied on the UI thread.
 */
public final class WorkspaceViewModel {

    private final Engine engine;
    private final TaskRunner runner;
    private final ErrorReporter errors;
    private final Messages messages;
    private final ProjectViewModel project;
    private final LayersViewModel layers;
    private final CompareViewModel compare;
    private final RecentFiles recent;
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Path> workspaceFile = new ReadOnlyObjectWrapper<>();
    // the names an imported cfg used for our layers, to write picks back the way they came
    private Map<String, String> vendorNames = Map.of();

    public WorkspaceViewModel(Engine engine, TaskRunner runner, ErrorReporter errors, Messages messages,
            ProjectViewModel project, LayersViewModel layers, CompareViewModel compare, RecentFiles recent) {
        this.engine = engine;
        this.runner = runner;
        this.errors = errors;
        this.messages = messages;
        this.project = project;
        this.layers = layers;
        this.compare = compare;
        this.recent = recent;
    }

    /** Opens whatever {@code file} is by its name: a model, a workspace or a cfg. */
    public void open(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".onnx")) {
            openModel(file);
        } else if (n.endsWith(".yaml") || n.endsWith(".yml")) {
            openWorkspace(file);
        } else if (n.endsWith(".cfg")) {
            importCfg(file);
        } else {
            errors.report(messages.get("error.dropUnknown"), null);
        }
    }

    /**
     * Points the sidebar at a model and runs it. Only a model that opens and runs replaces the
     * current one and goes into the recent files; a failed open changes nothing.
     */
    public void openModel(Path model) {
        SidebarFields f = project.fields().withModel(model);
        // another model's shape would name inputs this one lacks; one typed since is meant for this model
        if (project.inputShapeTyped()) {
            f = f.withInputShape(project.inputShapeProperty().get());
        }
        openFields(f, model, model, Map.of());
    }

    /** Opens the bundled sample and runs it, under the same rule as {@link #openModel}. */
    public void openSample(Path sample) {
        openFields(project.fields().withSample(sample), sample, null, Map.of());
    }

    private void openFields(SidebarFields fields, Path opening, Path recentFile, Map<String, QuantType> picks) {
        double threshold = layers.thresholdProperty().get();
        project.open(fields, opening, () -> {
            if (recentFile != null) {
                recent.add(recentFile);
            }
            workspaceFile.set(null);
            vendorNames = Map.of();
            compare.setParamOverrides(Map.of());
            // the rows of the coming run take exactly these picks
            layers.setPendingTypes(picks);
            layers.markOpened(picks, threshold);
        });
    }

    public void saveWorkspace(Path file) {
        saveWorkspace(file, () -> { });
    }

    /** Writes the workspace; {@code then} runs on the FX thread once it is on disk (not after a failure). */
    public void saveWorkspace(Path file, Runnable then) {
        Workspace w = snapshot(file.toAbsolutePath().getParent());
        Map<String, QuantType> picks = layers.types();
        double threshold = layers.thresholdProperty().get();
        runner.submit(BackgroundTask.of(messages.get("task.workspace", file.getFileName()), progress -> {
            w.write(file);
            return file;
        }).onSuccess(f -> {
            recent.add(f);
            workspaceFile.set(f.toAbsolutePath().normalize());
            // what was written, even if the user ticked on while it was being written
            layers.markSaved(picks, threshold);
            announce(messages.get("notify.saved", f.getFileName()));
            then.run();
        }).onAnyError(this::fail));
    }

    /** The workspace file last opened or saved, or {@code null}. */
    public ReadOnlyObjectProperty<Path> workspaceFileProperty() {
        return workspaceFile.getReadOnlyProperty();
    }

    Workspace snapshot(Path dir) {
        Map<String, String> types = new LinkedHashMap<>();
        layers.types().forEach((k, v) -> types.put(k, v.configName()));
        return new Workspace(Workspace.VERSION, Workspace.relativize(dir, project.modelProperty().get()),
                Workspace.relativize(dir, project.datasetProperty().get()), Workspace.relativize(dir, project.inputProperty().get()),
                project.meanProperty().get(), project.stdProperty().get(), project.channelOrderProperty().get(),
                ProjectViewModel.inputShapeEntries(project.inputShapeProperty().get()), project.typeProperty().get().configName(),
                project.algorithmProperty().get().configName(), layers.thresholdProperty().get(),
                layers.promoteTypeProperty().get().configName(), types, project.toolkitProperty().get().number());
    }

    /**
     * Reads a workspace and runs what it names. Only a workspace that reads and runs replaces
     * the current files, settings and picks; a failed open changes nothing.
     */
    public void openWorkspace(Path file) {
        runner.submit(BackgroundTask.of(messages.get("task.workspace", file.getFileName()), progress -> Workspace.read(file))
                .onSuccess(w -> apply(w, file)).onAnyError(e -> {
                    if (e instanceof NotAWorkspaceException) {
                        errors.report(messages.get("error.notWorkspace", file.getFileName()) + "\n"
                                + messages.get("error.notWorkspaceHint"), e);
                    } else {
                        errors.report(new ErrorMessages(messages).describeOpen(file, e), e);
                    }
                }));
    }

    void apply(Workspace w, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Map<String, QuantType> types = new LinkedHashMap<>();
        QuantType dtype;
        CalibrationAlgorithm algorithm;
        QuantType promoteTo;
        Toolkit toolkit;
        try {
            w.layers().forEach((k, v) -> types.put(k, QuantType.parse(v)));
            dtype = w.dtype() == null ? project.typeProperty().get() : QuantType.parse(w.dtype());
            algorithm = w.algorithm() == null ? project.algorithmProperty().get() : CalibrationAlgorithm.parse(w.algorithm());
            // absent (a file written by hand, or by an older workbench): the toolkit's usual promotion
            promoteTo = w.promoteTo() == null ? null : QuantType.parse(w.promoteTo());
            toolkit = w.toolkit() == null ? Toolkit.TOOLKIT1 : Toolkit.parse(w.toolkit());
        } catch (IllegalArgumentException e) {
            errors.report(messages.get("error.openHeadline", file.getFileName()) + "\n"
                    + messages.get("error.workspace", e.getMessage()), e);
            return;
        }
        SidebarFields fields = new SidebarFields(Workspace.resolve(dir, w.model()), Workspace.resolve(dir, w.dataset()),
                Workspace.resolve(dir, w.input()), w.mean(), w.std(),
                w.channelOrder() == null ? ProjectViewModel.IDENTITY_ORDER : w.channelOrder(),
                w.inputShape() == null ? "" : String.join(" ", w.inputShape()), dtype, algorithm, toolkit);
        if (fields.model() == null) {
            errors.report(messages.get("error.notWorkspace", file.getFileName()) + "\n" + messages.get("error.notWorkspaceHint"),
                    null);
            return;
        }
        double threshold = w.threshold() != null ? w.threshold() : layers.thresholdProperty().get();
        project.open(fields, file, () -> {
            recent.add(file);
            workspaceFile.set(file.toAbsolutePath().normalize());
            vendorNames = Map.of();
            compare.setParamOverrides(Map.of());
            // after the toolkit (set with the fields), which resets the promotion type to its default
            if (promoteTo != null) {
                layers.promoteTypeProperty().set(promoteTo);
            }
            layers.thresholdProperty().set(threshold);
            // the rows of the coming run take exactly these picks
            layers.setPendingTypes(types);
            layers.markOpened(types, threshold);
        });
    }

    /** Applies an RKNN cfg's per-layer types (and hand-edited parameters) to the analysed model. */
    public void importCfg(Path file) {
        RunResult run = project.result();
        if (run == null) {
            errors.report(messages.get("error.runFirst"), null);
            return;
        }
        runner.submit(BackgroundTask.of(messages.get("task.workspace", file.getFileName()),
                progress -> engine.importConfig(run.run(), file))
                .onSuccess(applied -> {
                    recent.add(file);
                    vendorNames = applied.vendorNames();
                    compare.setParamOverrides(applied.paramOverrides());
                    layers.setTypes(applied.overrides());
                    String notes = applied.notes().isEmpty() ? "" : " \u00b7 " + String.join("; ", applied.notes().stream().limit(3).toList());
                    announce(messages.get("notify.imported", file.getFileName(), applied.overrides().size()) + notes);
                }).onAnyError(this::fail));
    }

    /**
     * Auto-pick: finds the fewest layers whose promotion brings the final output's cosine against
     * float to {@code targetCosine} on the analysed input, and ticks exactly those.
     */
    public void suggestLayers(double targetCosine) {
        suggestLayers(targetCosine, summary -> announce(summary.headline()));
    }

    /**
     * What auto-pick did, for the summary the user sees: the headline and the lines under it.
     *
     * @param replaced the picks the auto-pick replaced (Ctrl+Z brings them back)
     */
    public record AutoPickSummary(String headline, String details, Map<String, QuantType> replaced) {
    }

    /** As {@link #suggestLayers(double)}; {@code shown} gets the summary once the picks are ticked. */
    public void suggestLayers(double targetCosine, java.util.function.Consumer<AutoPickSummary> shown) {
        RunResult run = project.result();
        if (run == null) {
            errors.report(messages.get("error.runFirstAutoPick"), null);
            return;
        }
        QuantType promoteTo = layers.promoteTypeProperty().get();
        runner.submit(BackgroundTask.of(messages.get("task.autoPick", targetCosine),
                progress -> engine.autoPick(run.project(), run.calibration(), run.normalPlan().defaultType(),
                        run.normalPlan().perChannel(), promoteTo, run.inputs(), targetCosine,
                        progress))
                .onSuccess(r -> {
                    if (!r.reached()) {
                        errors.report(messages.get("error.autoPickShort", targetCosine, r.metric()), null);
                        return;
                    }
                    Map<String, QuantType> picks = new java.util.LinkedHashMap<>();
                    r.layers().forEach(l -> picks.put(l, promoteTo));
                    Map<String, QuantType> before = layers.types();
                    layers.setTypes(picks);
                    String headline = messages.get("autoPick.done", r.layers().size(), r.metric(), targetCosine);
                    StringBuilder details = new StringBuilder(messages.get("autoPick.picked", String.join(", ", r.layers()),
                            promoteTo.qtype(), 100 * r.macShare(), r.evaluations(), r.normalMetric()));
                    if (!before.isEmpty() && !before.equals(picks)) {
                        details.append("\n").append(messages.get("autoPick.replaced", before.size(),
                                String.join(", ", before.keySet())));
                    }
                    shown.accept(new AutoPickSummary(headline, details.toString(), before));
                }).onAnyError(this::fail));
    }

    /** Writes the current picks (the last hybrid rebuild, else the normal plan) as an RKNN cfg. */
    public void exportCfg(Path file) {
        RunResult run = project.result();
        if (run == null) {
            errors.report(messages.get("error.nothingToExport"), null);
            return;
        }
        QuantPlan plan = compare.hybridPlan() != null ? compare.hybridPlan() : run.normalPlan();
        Map<String, String> names = vendorNames;
        Toolkit toolkit = project.toolkitProperty().get();
        runner.submit(BackgroundTask.of(messages.get("task.export", file.getFileName()), progress -> {
            engine.exportConfig(run.project(), plan, names, toolkit, file);
            return file;
        }).onSuccess(f -> announce(messages.get("notify.saved", f.getFileName()))).onAnyError(this::fail));
    }

    /** The platforms RKNN-Toolkit2 builds for, sorted, for File › Export for RKNN-Toolkit2…. */
    public static List<String> rknnPlatforms() {
        return RknnScript.PLATFORMS.stream().sorted().toList();
    }

    /**
     * Writes the hand-off to the user's RKNN-Toolkit2 into {@code dir}: {@code build_rknn.py}, the
     * current picks as a Toolkit2 cfg (under the names an imported cfg used) and the dataset list.
     */
    public void exportRknnScript(Path dir, String platform) {
        RunResult run = project.result();
        if (run == null) {
            errors.report(messages.get("error.nothingToExport"), null);
            return;
        }
        Map<String, QuantType> picks = layers.types();
        Map<String, String> names = vendorNames;
        runner.submit(BackgroundTask.of(messages.get("task.rknn", dir.getFileName()),
                progress -> engine.exportRknnScript(run.run(), run.settings().dataset(), run.settings().input(),
                        run.settings().preprocessing(), run.settings().algorithm(), picks, names, platform, dir))
                .onSuccess(files -> announce(messages.get("notify.rknn", files.get(0), picks.size())))
                .onAnyError(this::fail));
    }

    /** The files File › Export for RKNN-Toolkit2… would replace in {@code dir}, script first; empty when none is there. */
    public List<Path> rknnExportExisting(Path dir) {
        Path m = project.modelProperty().get();
        if (m == null) {
            return List.of();
        }
        return dev.layerwise.core.rknn.RknnScript.fileNames(m).stream().map(dir::resolve)
                .filter(java.nio.file.Files::exists).toList();
    }

    private void fail(Throwable e) {
        errors.report(new ErrorMessages(messages).describe(e), e);
    }

    public RecentFiles recent() {
        return recent;
    }

    /** Forgets an imported cfg's names and parameters, e.g. when another model is opened. */
    public void setVendorNamesCleared() {
        vendorNames = Map.of();
        compare.setParamOverrides(Map.of());
    }

    /** Shows {@code text} in the notification bar. */
    public void announce(String text) {
        // the same text twice must still show twice
        notice.set("");
        notice.set(text);
    }

    /** A one-line notice for the notification bar (saved, imported …). */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** Suggested file name for the cfg of the current model, RKNN's {@code MODEL.quantization.cfg}. */
    public String cfgFileName() {
        Path m = project.modelProperty().get();
        String base = m == null ? "model" : m.getFileName().toString().replaceFirst("\\.onnx$", "");
        return dev.layerwise.core.config.ConfigFile.fileNameFor(base);
    }

}
