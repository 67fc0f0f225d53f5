package dev.layerwise.app;

import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.TaskStatus;
import dev.layerwise.app.compare.CompareView;
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
import org.controlsfx.control.NotificationPane;
import org.controlsfx.control.StatusBar;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/**
 * The main window's content: menu bar, sidebar, the Layers / Compare / Device tabs, the
 * notification bar and the status bar with progress and cancel. Built from the view models;
 * {@link #build()} can be called again to show everything in another language.
 */
public final class MainWindow {

    /** Tab order, also the Ctrl+1/2/3 order. */
    public static final List<String> TABS = List.of("layers", "compare", "device");

    private final Stage stage;
    private final Workbench wb;
    private final Messages messages;
    private final Consumer<Locale> switchLanguage;
    private final Runnable retitle;
    private TabPane tabs;
    private LayersView layersView;
    private NotificationPane notifications;

    /**
     * @param switchLanguage stores a new language choice (the window then rebuilds itself)
     * @param retitle sets the window title in the current language
     */
    MainWindow(Stage stage, Workbench wb, Messages messages, Consumer<Locale> switchLanguage, Runnable retitle) {
        this.stage = stage;
        this.retitle = retitle;
        this.wb = wb;
        this.messages = messages;
        this.switchLanguage = switchLanguage;
    }

    /** A fresh root in the current language. */
    Parent build() {
        int selected = tabs == null ? 0 : tabs.getSelectionModel().getSelectedIndex();
        ProjectSidebarView sidebar = new ProjectSidebarView(wb.project(), messages, this::chooseModel);
        layersView = new LayersView(wb.layers(), wb.vendor(), messages, wb::rebuild);
        CompareView compareView = new CompareView(wb.compare(), messages, wb::rebuild);
        DeviceView deviceView = new DeviceView(wb.device(), messages, () -> selectTab("compare"));

        tabs = new TabPane(tab("layers", "tab.layers", layersView.node()), tab("compare", "tab.compare", compareView.node()),
                tab("device", "tab.device", deviceView.node()));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("tabs");
        tabs.getSelectionModel().select(selected);
        // the first look at the Device tab lists devices; starting adb is not done behind the user's back
        tabs.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null && "tab-device".equals(now.getId())) {
                wb.device().refreshIfNeverListed();
            }
        });

        notifications = new NotificationPane(tabs);
        notifications.setShowFromTop(true);
        wb.workspace().noticeProperty().addListener((o, was, now) -> showNotice(now));

        SplitPane split = new SplitPane(sidebar.node(), notifications);
        split.setDividerPositions(0.22);
        SplitPane.setResizableWithParent(sidebar.node(), false);

        BorderPane root = new BorderPane();
        root.setTop(menuBar());
        root.setCenter(split);
        root.setBottom(statusBar(wb.runner().status()));
        root.getStyleClass().add("workbench");
        root.setId("workbench");

        root.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        root.setOnDragDropped(e -> {
            boolean ok = false;
            if (e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty()) {
                wb.workspace().open(e.getDragboard().getFiles().get(0).toPath());
                ok = true;
            }
            e.setDropCompleted(ok);
            e.consume();
        });
        return root;
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
        tabs.getSelectionModel().select(TABS.indexOf(id));
    }

    private void showNotice(String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        notifications.setText(text);
        notifications.show();
        javafx.animation.PauseTransition hide = new javafx.animation.PauseTransition(Duration.seconds(4));
        hide.setOnFinished(e -> notifications.hide());
        hide.play();
    }

    private StatusBar statusBar(TaskStatus status) {
        StatusBar bar = new StatusBar();
        bar.setId("status-bar");
        bar.textProperty().bind(status.messageProperty().map(m -> m.isEmpty() ? messages.get("status.ready") : m));
        bar.progressProperty().bind(status.progressProperty());
        Button cancel = new Button(messages.get("status.cancel"));
        cancel.setId("cancel");
        cancel.disableProperty().bind(status.runningProperty().not());
        cancel.setOnAction(e -> status.cancel());
        bar.getRightItems().add(cancel);
        return bar;
    }

    private MenuBar menuBar() {
        Menu file = new Menu(messages.get("menu.file"));
        Menu recent = new Menu(messages.get("menu.recent"));
        fillRecent(recent);
        wb.workspace().recent().files().addListener((ListChangeListener<Path>) c -> fillRecent(recent));
        file.getItems().addAll(
                item("menu.openModel", "Shortcut+O", this::chooseModel),
                item("menu.openSample", null, wb::openSample),
                item("menu.openWorkspace", "Shortcut+Shift+O", () -> open("workspace.filter", "*.layerwise.yaml", "*.yaml")
                        .ifPresent(wb.workspace()::openWorkspace)),
                item("menu.saveWorkspace", "Shortcut+S", () -> save("workspace.filter", baseName() + ".layerwise.yaml",
                        "*.layerwise.yaml").ifPresent(wb.workspace()::saveWorkspace)),
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
                        .ifPresent(p -> exportChart(layersView.cosineChart(), p, 1600, 700))),
                item("menu.exportHistogram", null, () -> save("png.filter", baseName() + ".histogram.png", "*.png")
                        .ifPresent(p -> exportChart(layersView.histogramChart(), p, 1000, 600))),
                new SeparatorMenuItem(),
                item("menu.quit", "Shortcut+Q", stage::close));

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
                    layersView.focusFilter();
                }),
                new SeparatorMenuItem(),
                languageMenu());

        Menu help = new Menu(messages.get("menu.help"));
        help.getItems().addAll(item("menu.shortcuts", "F1", () -> info(messages.get("menu.shortcuts"), messages.get("shortcuts.text"))),
                item("menu.about", null, () -> info(messages.get("menu.about"), aboutText(messages, BuildInfo.current()))));

        MenuBar bar = new MenuBar(file, run, view, help);
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
        javafx.scene.control.TextInputDialog d = new javafx.scene.control.TextInputDialog("0.99");
        d.initOwner(stage);
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
            wb.workspace().suggestLayers(target);
        });
    }

    private Menu languageMenu() {
        Menu language = new Menu(messages.get("menu.language"));
        ToggleGroup group = new ToggleGroup();
        for (Locale l : Messages.SUPPORTED) {
            // each language under its own name, as language menus do
            RadioMenuItem item = new RadioMenuItem("zh".equals(l.getLanguage()) ? "\u7b80\u4f53\u4e2d\u6587" : l.getDisplayName(l));
            item.setToggleGroup(group);
            item.setSelected(l.equals(messages.locale()));
            item.setOnAction(e -> {
                if (!l.equals(messages.locale())) {
                    switchLanguage.accept(l);
                    // after the menu has finished with its event: the views read strings when built,
                    // so build them again; the view models keep all state
                    javafx.application.Platform.runLater(() -> {
                        wb.project().relabel();
                        wb.compare().relabel();
                        wb.device().relabel();
                        stage.getScene().setRoot(build());
                        retitle.run();
                    });
                }
            });
            language.getItems().add(item);
        }
        return language;
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
            item.setOnAction(e -> wb.workspace().open(p));
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
        ChoiceDialog<String> d = new ChoiceDialog<>(platforms.contains("rk3588") ? "rk3588" : platforms.get(0), platforms);
        d.setTitle(messages.get("rknn.title"));
        d.setHeaderText(messages.get("rknn.header"));
        d.setContentText(messages.get("rknn.platform"));
        d.initOwner(stage);
        d.showAndWait().ifPresent(platform -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle(messages.get("rknn.folder"));
            Path m = wb.project().modelProperty().get();
            if (m != null && m.getParent() != null && m.getParent().toFile().isDirectory()) {
                dc.setInitialDirectory(m.getParent().toFile());
            }
            File dir = dc.showDialog(stage);
            if (dir != null) {
                wb.workspace().exportRknnScript(dir.toPath(), platform);
            }
        });
    }

    private void info(String title, String text) {
        Alert a = new Alert(Alert.AlertType.INFORMATION, text);
        a.setTitle(title);
        a.setHeaderText(title);
        a.initOwner(stage);
        a.show();
    }

    private void chooseModel() {
        open("onnx.filter", "*.onnx").ifPresent(wb.workspace()::openModel);
    }

    private String baseName() {
        Path m = wb.project().modelProperty().get();
        return m == null ? "layerwise" : m.getFileName().toString().replaceFirst("\\.onnx$", "");
    }

    private java.util.Optional<Path> open(String filterKey, String... patterns) {
        FileChooser fc = chooser(filterKey, patterns);
        File f = fc.showOpenDialog(stage);
        return java.util.Optional.ofNullable(f).map(File::toPath);
    }

    private java.util.Optional<Path> save(String filterKey, String suggested, String... patterns) {
        FileChooser fc = chooser(filterKey, patterns);
        fc.setInitialFileName(suggested);
        File f = fc.showSaveDialog(stage);
        return java.util.Optional.ofNullable(f).map(File::toPath);
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
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
            wb.notice(messages.get("notify.saved", file.getFileName()));
        } catch (java.io.IOException e) {
            wb.errors().report(messages.get("error.io", e.getMessage()), e);
        }
    }
}
