package dev.layerwise.app;

import dev.layerwise.app.common.Dialogs;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.TaskStatus;
import dev.layerwise.app.compare.CompareView;
import dev.layerwise.app.compare.DatasetCompareView;
import dev.layerwise.app.device.DeviceView;
import dev.layerwise.app.layers.LayersView;
import dev.layerwise.app.project.ProjectSidebarView;
import dev.layerwise.app.workspace.WorkspaceViewModel;
import dev.layerwise.core.version.BuildInfo;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.collections.ListChangeListener;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceDialog;
import javafx.scene.control.Label;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.controlsfx.control.StatusBar;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/**
 * The main window's content: menu bar, sidebar, the Layers / Compare / Device tabs, the
 * notification bar and the status bar with progress and cancel. Built from the view models;
 * {@link #build()} can be called again to show everything in another language.
 */
public final class MainWindow {

    /** How long a step of unknown length runs before the status bar animates a busy bar for it (see {@code BusyBar}). */
    static final long BUSY_BAR_AFTER_MILLIS = 300;

    /** Tab order, also the Ctrl+1/2/3 order. */
    public static final List<String> TABS = List.of("layers", "compare", "device");

    /** The sidebar's narrowest and widest width, and its largest share of a narrow window. */
    private static final double SIDEBAR_MIN = 240;
    private static final double SIDEBAR_MAX = 360;
    private static final double SIDEBAR_SHARE = 0.24;

    private final Stage stage;
    private final Workbench wb;
    private final Messages messages;
    /** Message, question and input dialogs in the window's language. */
    private final Dialogs prompts;
    private final Consumer<Locale> switchLanguage;
    private final Runnable retitle;
    private FileDialogs dialogs = FileDialogs.SYSTEM;
    private TabPane tabs;
    private LayersView layersView;
    /** The frame shown before its views exist, until {@link #fill}. */
    private BorderPane frame;

    /**
     * @param switchLanguage stores a new language choice (the window then rebuilds itself)
     * @param retitle sets the window title in the current language
     */
    MainWindow(Stage stage, Workbench wb, Messages messages, Consumer<Locale> switchLanguage, Runnable retitle) {
        this.stage = stage;
        this.retitle = retitle;
        this.wb = wb;
        this.messages = messages;
        this.prompts = new Dialogs(messages);
        this.switchLanguage = switchLanguage;
    }

    /** A fresh root in the current language. */
    Parent build() {
        BorderPane root = frame();
        root.setCenter(content());
        return root;
    }

    /**
     * The window's frame in the current language, without its views: menu bar, status bar (the
     * open's progress and Cancel) and one line saying the views are coming. It lays out in a
     * fraction of the full window's time, so the window is on screen before the sidebar, the
     * table, the charts and the Compare and Device views are built; {@link #fill} adds them.
     */
    Parent buildFrame() {
        BorderPane root = frame();
        Label starting = new Label(messages.get("window.starting"));
        starting.setId("window-starting");
        starting.getStyleClass().add("hint");
        root.setCenter(new javafx.scene.layout.StackPane(starting));
        frame = root;
        return root;
    }

    /**
     * Puts the views into the frame of {@link #buildFrame}, once; nothing when the window was
     * built whole since (a language switch).
     */
    void fill() {
        if (frame != null && stage.getScene() != null && stage.getScene().getRoot() == frame) {
            frame.setCenter(content());
        }
        frame = null;
    }

    /** The sidebar beside the Layers / Compare / Device tabs. */
    private Parent content() {
        int selected = tabs == null ? 0 : tabs.getSelectionModel().getSelectedIndex();
        ProjectSidebarView sidebar = new ProjectSidebarView(wb.project(), messages, this::chooseModel,
                chooser -> dialogs.open(chooser, stage));
        layersView = new LayersView(wb.layers(), wb.vendor(), messages, wb::rebuild, wb.runner().status().runningProperty(),
                wb.project().modelProperty());
        // Compare and Device are built when first brought to the front: with them the first full frame took twice as long
        tabs = new TabPane(tab("layers", "tab.layers", layersView.node()),
                lazyTab("compare", "tab.compare", () -> new CompareView(wb.compare(), messages, wb::rebuild,
                        picks -> wb.layers().setTypes(picks), new DatasetCompareView(wb.datasetCompare(), messages,
                        wb::analyseInput).node()).node()),
                lazyTab("device", "tab.device", () -> new DeviceView(wb.device(), messages, () -> selectTab("compare"),
                        chooser -> dialogs.open(chooser, stage)).node()));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("tabs");
        tabs.getSelectionModel().select(selected);
        // the first look at the Device tab lists devices; starting adb is not done behind the user's back
        tabs.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null && "tab-device".equals(now.getId())) {
                wb.device().refreshIfNeverListed();
            }
        });

        SplitPane split = new SplitPane(sidebar.node(), tabs);
        split.setDividerPositions(0.22);
        SplitPane.setResizableWithParent(sidebar.node(), false);
        // a window made narrow (a 1024 px screen) narrows a wide sidebar too: the table needs the room
        ((javafx.scene.layout.Region) sidebar.node()).maxWidthProperty().bind(split.widthProperty()
                .map(w -> Math.min(SIDEBAR_MAX, Math.max(SIDEBAR_MIN, SIDEBAR_SHARE * w.doubleValue()))));

        return split;
    }

    /** Menu bar, status bar, drag and drop: the window around its views. */
    private BorderPane frame() {
        BorderPane root = new BorderPane();
        root.setTop(menuBar());
        root.setBottom(statusBar(wb.runner().status(), wb.device().status(), wb.device().busyProperty()));
        root.getStyleClass().add("workbench");
        root.setId("workbench");
        cjkFont().ifPresent(family -> root.setStyle("-fx-font-family: \"" + family + "\";"));

        root.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        root.setOnDragDropped(e -> {
            boolean ok = false;
            if (e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty()) {
                Path dropped = e.getDragboard().getFiles().get(0).toPath();
                // after the drop has finished: the question may need a modal dialog
                javafx.application.Platform.runLater(() -> openAfterAsking(dropped));
                ok = true;
            }
            e.setDropCompleted(ok);
            e.consume();
        });
        return root;
    }

    /** Fonts with Chinese glyphs in a real bold face, best first (Linux, Windows, macOS). */
    private static final List<String> CJK_FAMILIES = List.of("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN",
            "Microsoft YaHei", "PingFang SC", "WenQuanYi Zen Hei");

    /**
     * In Chinese, a font that has the characters in bold: left to itself JavaFX draws them from
     * a fallback font without a bold face, and every heading loses its weight.
     */
    private java.util.Optional<String> cjkFont() {
        if (!"zh".equals(messages.locale().getLanguage())) {
            return java.util.Optional.empty();
        }
        List<String> installed = javafx.scene.text.Font.getFamilies();
        return CJK_FAMILIES.stream().filter(installed::contains).findFirst();
    }

    /** A tab whose content is made the first time it is selected. */
    private Tab lazyTab(String id, String key, java.util.function.Supplier<javafx.scene.Node> content) {
        Tab t = tab(id, key, null);
        t.selectedProperty().addListener((o, was, now) -> {
            if (now && t.getContent() == null) {
                t.setContent(content.get());
            }
        });
        return t;
    }

    private Tab tab(String id, String key, javafx.scene.Node content) {
        Tab t = new Tab(messages.get(key), content);
        t.setId("tab-" + id);
        return t;
    }

    public LayersView layersView() {
        return layersView;
    }

    public void selectTab(String id) {
        if (tabs == null) {
            // the views are not built yet (the first tenth of a second)
            return;
        }
        tabs.getSelectionModel().select(TABS.indexOf(id));
    }

    /**
     * The status bar: the engine's task, else a device run's step (a board run is work in progress
     * too, not "Ready"), else Ready; on the right a notice (saved, imported) that fades after a
     * few seconds, placed where it covers nothing, and Cancel.
     */
    private StatusBar statusBar(TaskStatus status, TaskStatus device, javafx.beans.value.ObservableBooleanValue deviceBusy) {
        StatusBar bar = new StatusBar();
        bar.setId("status-bar");
        bar.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            if (status.isRunning() && !status.messageProperty().get().isEmpty()) {
                return status.messageProperty().get();
            }
            if (deviceBusy.get()) {
                String step = device.messageProperty().get();
                return messages.get("status.device", step == null || step.isEmpty() ? "\u2026" : step);
            }
            return status.messageProperty().get().isEmpty() ? messages.get("status.ready") : status.messageProperty().get();
        }, status.messageProperty(), status.runningProperty(), device.messageProperty(), deviceBusy));
        javafx.beans.binding.DoubleBinding progress = javafx.beans.binding.Bindings.createDoubleBinding(
                () -> !status.isRunning() && deviceBusy.get() ? device.progressProperty().get() : status.progressProperty().get(),
                status.progressProperty(), status.runningProperty(), device.progressProperty(), deviceBusy);
        bar.progressProperty().bind(dev.layerwise.app.common.BusyBar.quietWhileQuick(progress, BUSY_BAR_AFTER_MILLIS));
        Button cancel = new Button(messages.get("status.cancel"));
        cancel.setId("cancel");
        cancel.disableProperty().bind(status.runningProperty().not());
        cancel.setOnAction(e -> status.cancel());

        javafx.scene.control.Label notice = new javafx.scene.control.Label();
        notice.setId("notice");
        notice.getStyleClass().add("notice");
        notice.setVisible(false);
        javafx.animation.PauseTransition hide = new javafx.animation.PauseTransition(Duration.seconds(6));
        hide.setOnFinished(e -> notice.setVisible(false));
        javafx.beans.value.ChangeListener<String> show = (o, was, now) -> {
            if (now != null && !now.isBlank()) {
                notice.setText(now);
                notice.setVisible(true);
                hide.playFromStart();
            }
        };
        wb.workspace().noticeProperty().addListener(show);
        // this bar is rebuilt with the window on a language switch: the old one stops listening
        bar.sceneProperty().addListener((o, was, now) -> {
            if (now == null) {
                wb.workspace().noticeProperty().removeListener(show);
            }
        });
        bar.getRightItems().addAll(notice, cancel);
        return bar;
    }

    private MenuBar menuBar() {
        Menu file = new Menu(messages.get("menu.file"));
        Menu recent = new Menu(messages.get("menu.recent"));
        fillRecent(recent);
        wb.workspace().recent().files().addListener((ListChangeListener<Path>) c -> fillRecent(recent));
        file.getItems().addAll(
                item("menu.openModel", "Shortcut+O", this::chooseModel),
                item("menu.openSample", null, () -> askToKeepUnsaved(wb::openSample)),
                item("menu.openWorkspace", "Shortcut+Shift+O", () -> askToKeepUnsaved(() -> open("workspace.filter",
                        "*.layerwise.yaml", "*.yaml").ifPresent(wb.workspace()::openWorkspace))),
                item("menu.saveWorkspace", "Shortcut+S", () -> saveWorkspace(() -> { })),
                item("menu.saveWorkspaceAs", "Shortcut+Shift+S", () -> saveWorkspaceAs(() -> { })),
                recent,
                new SeparatorMenuItem(),
                item("menu.importCfg", "Shortcut+I", () -> open("cfg.filter", "*.cfg").ifPresent(wb.workspace()::importCfg)),
                item("menu.exportCfg", null, () -> save("cfg.filter", wb.workspace().cfgFileName(), "*.cfg")
                        .ifPresent(wb.workspace()::exportCfg)),
                item("menu.importVendor", null, () -> open("vendor.filter", "*.txt")
                        .ifPresent(f -> wb.vendor().load(f, wb.project().result()))),
                item("menu.exportRknn", null, this::askRknnExport),
                item("menu.exportHybrid", null, () -> save("onnx.filter", baseName() + ".hybrid.onnx", "*.onnx")
                        .ifPresent(wb.compare()::exportHybridModel)),
                item("menu.exportCsv", "Shortcut+E", () -> save("csv.filter", baseName() + ".layers.csv", "*.csv")
                        .ifPresent(wb.layers()::exportCsv)),
                item("menu.exportChart", "Shortcut+Shift+E", () -> save("png.filter", baseName() + ".cosine.png", "*.png")
                        .ifPresent(p -> exportChart(layersView == null ? null : layersView.cosineChart(), p, 1600, 700))),
                item("menu.exportHistogram", null, () -> save("png.filter", baseName() + ".histogram.png", "*.png")
                        .ifPresent(p -> exportChart(layersView == null ? null : layersView.histogramChart(), p, 1000, 600))),
                new SeparatorMenuItem(),
                item("menu.quit", "Shortcut+Q", () -> askToKeepUnsaved(stage::close)));

        Menu edit = new Menu(messages.get("menu.edit"));
        MenuItem undo = item("menu.undo", "Shortcut+Z", () -> wb.layers().undo());
        undo.disableProperty().bind(javafx.beans.binding.Bindings.not(wb.layers().canUndoProperty()));
        MenuItem redo = item("menu.redo", "Shortcut+Shift+Z", () -> wb.layers().redo());
        redo.disableProperty().bind(javafx.beans.binding.Bindings.not(wb.layers().canRedoProperty()));
        edit.getItems().addAll(undo, redo);

        Menu run = new Menu(messages.get("menu.run"));
        MenuItem runF5 = item("menu.runAnalysis", "Shortcut+R", () -> wb.project().run());
        run.getItems().addAll(runF5,
                item("menu.rebuild", "Shortcut+B", wb::rebuild),
                item("menu.promoteUnfriendly", "Shortcut+U", () -> wb.layers().promoteUnfriendly()),
                item("menu.autoPick", "Shortcut+G", this::askAutoPick),
                item("menu.clearPromotions", null, () -> wb.layers().clearPromotions()),
                new SeparatorMenuItem(),
                item("menu.cancel", "Esc", () -> wb.runner().status().cancel()));

        Menu view = new Menu(messages.get("menu.view"));
        view.getItems().addAll(
                item("menu.viewLayers", "Shortcut+1", () -> selectTab("layers")),
                item("menu.viewCompare", "Shortcut+2", () -> selectTab("compare")),
                item("menu.viewDevice", "Shortcut+3", () -> selectTab("device")),
                item("menu.focusFilter", "Shortcut+F", () -> {
                    selectTab("layers");
                    if (layersView != null) {
                        layersView.focusFilter();
                    }
                }),
                new SeparatorMenuItem(),
                languageMenu());

        Menu help = new Menu(messages.get("menu.help"));
        help.getItems().addAll(item("menu.shortcuts", "F1", () -> info(messages.get("menu.shortcuts"), messages.get("shortcuts.text"))),
                item("menu.about", null, () -> info(messages.get("menu.about"), aboutText(messages, BuildInfo.current()))));

        MenuBar bar = new MenuBar(file, edit, run, view, help);
        bar.setId("menu-bar");
        // F5 runs too, as in most tools; an accelerator per item allows only one key
        bar.sceneProperty().addListener((o, was, scene) -> {
            if (scene != null) {
                scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), () -> wb.project().run());
            }
        });
        return bar;
    }

    /** Asks for the final-output cosine to reach, then lets auto-pick tick the layers. */
    private void askAutoPick() {
        javafx.scene.control.TextInputDialog d = prompts.textInput(stage, "0.99");
        d.setTitle(messages.get("autoPick.title"));
        d.setHeaderText(messages.get("autoPick.header"));
        d.setContentText(messages.get("autoPick.target"));
        d.showAndWait().ifPresent(text -> {
            double target;
            try {
                target = Double.parseDouble(text.strip());
            } catch (NumberFormatException e) {
                target = Double.NaN;
            }
            if (!(target > 0 && target <= 1)) {
                wb.errors().report(messages.get("error.autoPickTarget", text), null);
                return;
            }
            wb.workspace().suggestLayers(target, this::showAutoPick);
        });
    }

    /** What auto-pick ticked and reached, and what it replaced, with Undo right there. */
    private void showAutoPick(dev.layerwise.app.workspace.WorkspaceViewModel.AutoPickSummary summary) {
        ButtonType undo = prompts.button("autoPick.undo", ButtonBar.ButtonData.LEFT);
        Alert a = prompts.alert(Alert.AlertType.INFORMATION, stage, messages.get("autoPick.title"), summary.details(), prompts.ok(),
                undo);
        a.setHeaderText(summary.headline());
        a.getDialogPane().setId("auto-pick-summary");
        a.getDialogPane().setPrefWidth(520);
        a.showAndWait().filter(undo::equals).ifPresent(b -> wb.layers().undo());
    }

    private Menu languageMenu() {
        Menu language = new Menu(messages.get("menu.language"));
        ToggleGroup group = new ToggleGroup();
        for (Locale l : Messages.SUPPORTED) {
            // each language under its own name, as language menus do
            RadioMenuItem item = new RadioMenuItem(nativeName(l));
            item.setToggleGroup(group);
            item.setSelected(l.equals(messages.locale()));
            // after the menu has finished with its event
            item.setOnAction(e -> javafx.application.Platform.runLater(() -> showIn(l)));
            language.getItems().add(item);
        }
        return language;
    }

    /**
     * A language's name in that language. The supported ones are spelt out: asking the JDK for
     * English's own name loaded its locale-name data, some 30–60 ms on the FX thread before the
     * window could first show.
     */
    static String nativeName(Locale l) {
        return switch (l.getLanguage()) {
            case "en" -> "English";
            case "zh" -> "\u7b80\u4f53\u4e2d\u6587";
            default -> l.getDisplayName(l);
        };
    }

    /**
     * Shows the window in {@code l}: the views read strings when built, so they are built again;
     * the view models keep all state (rows, picks, sort, filter, selection).
     */
    public void showIn(Locale l) {
        if (l.equals(messages.locale())) {
            return;
        }
        switchLanguage.accept(l);
        wb.project().relabel();
        wb.compare().relabel();
        wb.device().relabel();
        stage.getScene().setRoot(build());
        retitle.run();
    }

    private void fillRecent(Menu recent) {
        recent.getItems().clear();
        if (wb.workspace().recent().files().isEmpty()) {
            MenuItem none = new MenuItem(messages.get("menu.recentEmpty"));
            none.setDisable(true);
            recent.getItems().add(none);
        }
        for (Path p : wb.workspace().recent().files()) {
            MenuItem item = new MenuItem(p.getFileName() + "  \u2014  " + p.getParent());
            // file names may contain underscores; they are not mnemonics
            item.setMnemonicParsing(false);
            item.setOnAction(e -> openAfterAsking(p));
            recent.getItems().add(item);
        }
    }

    private MenuItem item(String key, String accelerator, Runnable action) {
        MenuItem item = new MenuItem(messages.get(key));
        if (accelerator != null) {
            item.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        item.setOnAction(e -> action.run());
        return item;
    }

    /** The About text: what the tool does, then which build this is, so a user can quote it. */
    static String aboutText(Messages messages, BuildInfo build) {
        return messages.get("about.text") + "\n\n" + messages.get("about.version", build.version(), build.builtDate()) + "\n"
                + messages.get("about.runtime", build.onnxRuntimeVersion(), System.getProperty("java.runtime.version"));
    }

    /** File › Export for RKNN-Toolkit2…: the board's platform, then the folder for the script. */
    private void askRknnExport() {
        List<String> platforms = WorkspaceViewModel.rknnPlatforms();
        ChoiceDialog<String> d = prompts.choice(stage, platforms.contains("rk3588") ? "rk3588" : platforms.get(0), platforms);
        d.setTitle(messages.get("rknn.title"));
        d.setHeaderText(messages.get("rknn.header"));
        d.setContentText(messages.get("rknn.platform"));
        d.showAndWait().ifPresent(platform -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle(messages.get("rknn.folder"));
            Path m = wb.project().modelProperty().get();
            if (m != null && m.getParent() != null && m.getParent().toFile().isDirectory()) {
                dc.setInitialDirectory(m.getParent().toFile());
            }
            dialogs.folder(dc, stage).ifPresent(dir -> {
                // the cfg there may be the user's edited picks: replace it only when they say so
                List<Path> existing = wb.workspace().rknnExportExisting(dir);
                if (existing.isEmpty() || confirmReplace(existing, dir)) {
                    wb.workspace().exportRknnScript(dir, platform);
                }
            });
        });
    }

    private boolean confirmReplace(List<Path> existing, Path dir) {
        ButtonType replace = prompts.button("rknn.replace.yes", ButtonBar.ButtonData.YES);
        ButtonType keep = prompts.button("rknn.replace.no", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert a = prompts.alert(Alert.AlertType.CONFIRMATION, stage, messages.get("rknn.title"), messages.get("rknn.replace.text",
                existing.stream().map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.joining(", ")), dir),
                replace, keep);
        a.setHeaderText(messages.get("rknn.replace.header"));
        a.getDialogPane().setId("rknn-replace");
        return a.showAndWait().filter(replace::equals).isPresent();
    }

    /** Replaces the system's file dialogs, e.g. with a test's answers (Monocle has none). */
    public void useFileDialogs(FileDialogs d) {
        dialogs = d;
    }

    private void info(String title, String text) {
        Alert a = prompts.alert(Alert.AlertType.INFORMATION, stage, title, text);
        a.setHeaderText(title);
        a.show();
    }

    private void chooseModel() {
        askToKeepUnsaved(() -> open("onnx.filter", "*.onnx").ifPresent(wb.workspace()::openModel));
    }

    private void openAfterAsking(Path file) {
        askToKeepUnsaved(() -> wb.workspace().open(file));
    }

    /** The window's close box: asks first when there are unsaved picks. */
    void closeRequested(javafx.stage.WindowEvent e) {
        if (wb.layers().unsavedProperty().get()) {
            e.consume();
            askToKeepUnsaved(stage::close);
        }
    }

    /**
     * Runs {@code then} (quit, open another file) right away when nothing is unsaved; otherwise
     * asks Save / Discard / Cancel first. Save runs {@code then} once the workspace is on disk.
     */
    void askToKeepUnsaved(Runnable then) {
        if (!wb.layers().unsavedProperty().get()) {
            then.run();
            return;
        }
        ButtonType save = prompts.button("unsaved.save", ButtonBar.ButtonData.YES);
        ButtonType discard = prompts.button("unsaved.discard", ButtonBar.ButtonData.NO);
        Alert a = prompts.alert(Alert.AlertType.CONFIRMATION, stage, messages.get("app.title"), messages.get("unsaved.text"), save,
                discard, prompts.cancel());
        a.setHeaderText(messages.get("unsaved.header", wb.layers().types().size()));
        a.getDialogPane().setId("unsaved-dialog");
        a.getDialogPane().setPrefWidth(480);
        a.showAndWait().ifPresent(choice -> {
            if (choice == save) {
                saveWorkspace(then);
            } else if (choice == discard) {
                then.run();
            }
        });
    }

    /** Saves to the workspace last opened or saved, else asks where; {@code then} runs once it is written. */
    private void saveWorkspace(Runnable then) {
        Path current = wb.workspace().workspaceFileProperty().get();
        if (current != null) {
            wb.workspace().saveWorkspace(current, then);
        } else {
            saveWorkspaceAs(then);
        }
    }

    private void saveWorkspaceAs(Runnable then) {
        save("workspace.filter", baseName() + ".layerwise.yaml", "*.layerwise.yaml")
                .ifPresent(f -> wb.workspace().saveWorkspace(f, then));
    }

    private String baseName() {
        Path m = wb.project().modelProperty().get();
        return m == null ? "layerwise" : m.getFileName().toString().replaceFirst("\\.onnx$", "");
    }

    private java.util.Optional<Path> open(String filterKey, String... patterns) {
        return dialogs.open(chooser(filterKey, patterns), stage);
    }

    private java.util.Optional<Path> save(String filterKey, String suggested, String... patterns) {
        FileChooser fc = chooser(filterKey, patterns);
        fc.setInitialFileName(suggested);
        return dialogs.save(fc, stage);
    }

    private FileChooser chooser(String filterKey, String... patterns) {
        FileChooser fc = new FileChooser();
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(messages.get(filterKey), List.of(patterns)));
        Path m = wb.project().modelProperty().get();
        if (m != null && m.getParent() != null && m.getParent().toFile().isDirectory()) {
            fc.setInitialDirectory(m.getParent().toFile());
        }
        return fc;
    }

    /** Renders a chart to PNG on the FX thread: the chart is FX-owned state and renders in well under a second. */
    void exportChart(JFreeChart chart, Path file, int width, int height) {
        if (chart == null) {
            return;
        }
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
            wb.notice(messages.get("notify.saved", file.getFileName()));
        } catch (java.io.IOException e) {
            wb.errors().report(messages.get("error.io", e.getMessage()), e);
        }
    }
}
