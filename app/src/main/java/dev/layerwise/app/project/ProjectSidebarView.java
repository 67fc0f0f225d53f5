package dev.layerwise.app.project;

import dev.layerwise.app.common.Messages;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.config.Toolkit2Types;
import dev.layerwise.core.quant.QuantType;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.property.ObjectProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

/** The project sidebar: files, preprocessing, quantization settings and Run. */
public final class ProjectSidebarView {

    private static final javafx.css.PseudoClass LOADING = javafx.css.PseudoClass.getPseudoClass("loading");

    private final ProjectViewModel vm;
    private final Messages messages;
    private final Function<FileChooser, Optional<Path>> openFile;
    private final VBox box = new VBox(6);
    private final javafx.scene.layout.BorderPane root;

    /**
     * @param openModel asks for a model the window's way (after asking about unsaved picks) and opens it
     * @param openFile shows a file chooser the window's way and gives the file picked, so that a
     *     headless test can answer it (the window's {@code FileDialogs}; Monocle has no native dialog)
     */
    public ProjectSidebarView(ProjectViewModel vm, Messages messages, Runnable openModel,
            Function<FileChooser, Optional<Path>> openFile) {
        this.vm = vm;
        this.messages = messages;
        this.openFile = openFile;
        box.setPadding(new Insets(10, 12, 12, 12));
        box.getStyleClass().add("sidebar");

        box.getChildren().add(header("sidebar.project"));
        Label opening = new Label();
        opening.setId("opening");
        opening.getStyleClass().add("hint");
        opening.setWrapText(true);
        // replacing a project: the old one stays in the fields until the new one has run, this says what comes
        opening.textProperty().bind(vm.openingProperty().map(f -> f.model() == null ? ""
                : messages.get("sidebar.opening", f.model().getFileName())).orElse(""));
        opening.visibleProperty().bind(vm.openingProperty().isNotNull().and(vm.modelProperty().isNotNull()));
        opening.managedProperty().bind(opening.visibleProperty());
        box.getChildren().add(opening);
        box.getChildren().add(fileRow("sidebar.model", vm.modelProperty(), SidebarFields::model, messages.get("sidebar.none"),
                openModel, "model-file"));
        box.getChildren().add(fileRow("sidebar.dataset", vm.datasetProperty(), SidebarFields::dataset, messages.get("sidebar.none"),
                () -> choose(vm.datasetProperty(), "dataset.filter", "*.txt"), "dataset-file"));
        box.getChildren().add(fileRow("sidebar.input", vm.inputProperty(), SidebarFields::input, messages.get("sidebar.inputFromDataset"),
                () -> choose(vm.inputProperty(), "image.filter", "*.png", "*.jpg", "*.jpeg", "*.bmp", "*.npy"), "input-file"));
        box.getChildren().add(thumbnail());

        box.getChildren().add(header("sidebar.preprocessing"));
        GridPane pre = new GridPane();
        pre.setHgap(8);
        pre.setVgap(6);
        pre.addRow(0, label("sidebar.mean"), showsPending(field(vm.meanProperty(), "mean"), SidebarFields::mean));
        pre.addRow(1, label("sidebar.std"), showsPending(field(vm.stdProperty(), "std"), SidebarFields::std));
        pre.addRow(2, label("sidebar.order"), field(vm.channelOrderProperty(), "channel-order"));
        TextField shape = field(vm.inputShapeProperty(), "input-shape");
        shape.setPromptText(messages.get("sidebar.inputShape.prompt"));
        shape.setTooltip(new javafx.scene.control.Tooltip(messages.get("sidebar.inputShape.tip")));
        pre.addRow(3, label("sidebar.inputShape"), shape);
        box.getChildren().add(pre);

        box.getChildren().add(header("sidebar.quantization"));
        ComboBox<Toolkit> toolkit = new ComboBox<>(FXCollections.observableArrayList(Toolkit.values()));
        toolkit.valueProperty().bindBidirectional(vm.toolkitProperty());
        toolkit.setMaxWidth(Double.MAX_VALUE);
        toolkit.setId("toolkit");
        toolkit.setConverter(new StringConverter<>() {
            @Override
            public String toString(Toolkit t) {
                return t == null ? "" : messages.get("toolkit." + t.number());
            }

            @Override
            public Toolkit fromString(String s) {
                return null;
            }
        });
        toolkit.setTooltip(new Tooltip(messages.get("sidebar.toolkitTip")));
        ComboBox<QuantType> type = new ComboBox<>(vm.typeChoices());
        type.valueProperty().bindBidirectional(vm.typeProperty());
        type.setMaxWidth(Double.MAX_VALUE);
        type.setId("quant-type");
        // in RKNN-Toolkit2 mode the type reads as its quantized_dtype, with ours beside it
        type.setConverter(new StringConverter<>() {
            @Override
            public String toString(QuantType t) {
                if (t == null) {
                    return "";
                }
                return vm.toolkitProperty().get() == Toolkit.TOOLKIT2
                        ? Toolkit2Types.quantizedDtypeName(t) + "  (" + t.qtype() + ")" : t.configName();
            }

            @Override
            public QuantType fromString(String s) {
                return null;
            }
        });
        vm.toolkitProperty().addListener((o, was, now) -> {
            // the button cell keeps the old text until told
            QuantType t = type.getValue();
            type.setValue(null);
            type.setValue(t);
        });
        ComboBox<CalibrationAlgorithm> algorithm = new ComboBox<>(FXCollections.observableArrayList(CalibrationAlgorithm.values()));
        algorithm.valueProperty().bindBidirectional(vm.algorithmProperty());
        algorithm.setMaxWidth(Double.MAX_VALUE);
        algorithm.setId("algorithm");
        // each caption over its choice, which then has the sidebar's whole width: beside the caption,
        // "asymmetric_affine-u8" and "RKNN-Toolkit2" were cut to "asymmetr…" in a narrow window
        VBox q = new VBox(2);
        for (Object[] pair : new Object[][] {{"sidebar.toolkit", toolkit}, {"sidebar.type", type}, {"sidebar.algorithm", algorithm}}) {
            Label caption = label((String) pair[0]);
            caption.getStyleClass().add("field-caption");
            ComboBox<?> choice = (ComboBox<?>) pair[1];
            VBox.setMargin(choice, new Insets(0, 0, 4, 0));
            q.getChildren().addAll(caption, choice);
        }
        box.getChildren().add(q);

        Button run = new Button(messages.get("sidebar.run"));
        run.setId("run");
        run.setDefaultButton(true);
        run.setMaxWidth(Double.MAX_VALUE);
        run.getStyleClass().add("accent");
        run.disableProperty().bind(vm.runnableProperty().not());
        run.setOnAction(e -> vm.run());
        // pinned under the form, not scrolled with it: on a 700 px high screen the form is taller than the window
        javafx.scene.layout.BorderPane.setMargin(run, new Insets(6, 12, 8, 12));

        Label summary = new Label();
        summary.setWrapText(true);
        summary.getStyleClass().add("hint");
        summary.setId("run-summary");
        summary.textProperty().bind(vm.summaryProperty());
        box.getChildren().add(summary);

        Label warnings = new Label();
        warnings.setWrapText(true);
        warnings.getStyleClass().add("warnings");
        warnings.textProperty().bind(vm.warningsProperty());
        warnings.visibleProperty().bind(vm.warningsProperty().isNotEmpty());
        warnings.managedProperty().bind(warnings.visibleProperty());
        box.getChildren().add(warnings);

        ScrollPane form = new ScrollPane(box);
        form.setFitToWidth(true);
        form.getStyleClass().add("sidebar-scroll");
        root = new javafx.scene.layout.BorderPane(form);
        root.setBottom(run);
        root.setPrefWidth(300);
        root.setMinWidth(240);
        root.getStyleClass().add("sidebar-pane");
    }

    public Node node() {
        return root;
    }

    /** A form label that never gets cut to "Chan…": the field beside it gives way instead. */
    private Label label(String key) {
        Label l = new Label(messages.get(key));
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private Label header(String key) {
        Label l = new Label(messages.get(key));
        l.getStyleClass().add("sidebar-header");
        return l;
    }

    /**
     * While a first open runs the field is still empty; its prompt shows the value being opened
     * (greyed, as prompts are), so the sidebar does not look as if the workspace had none.
     */
    private TextField showsPending(TextField f, java.util.function.Function<SidebarFields, String> pending) {
        f.promptTextProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            SidebarFields opening = vm.openingProperty().get();
            return opening != null && pending.apply(opening) != null ? pending.apply(opening) : "";
        }, vm.openingProperty()));
        return f;
    }

    private static TextField field(javafx.beans.property.StringProperty p, String id) {
        TextField f = new TextField();
        f.textProperty().bindBidirectional(p);
        f.setId(id);
        f.setPrefColumnCount(10);
        GridPane.setHgrow(f, Priority.ALWAYS);
        return f;
    }

    /**
     * A file's caption, name and browse button. While a first open runs, the field is still empty:
     * it shows the file being loaded ({@code pending} of what is opening), greyed, instead of "(none)".
     */
    private Node fileRow(String key, ObjectProperty<Path> file, java.util.function.Function<SidebarFields, Path> pending, String none,
            Runnable browse, String id) {
        Label caption = new Label(messages.get(key));
        caption.getStyleClass().add("field-caption");
        Label name = new Label();
        name.setId(id);
        name.getStyleClass().add("file-name");
        name.setMaxWidth(Double.MAX_VALUE);
        javafx.beans.binding.ObjectBinding<Path> loading = javafx.beans.binding.Bindings.createObjectBinding(() -> {
            SidebarFields f = vm.openingProperty().get();
            return file.get() == null && f != null ? pending.apply(f) : null;
        }, file, vm.openingProperty());
        name.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> file.get() != null
                ? file.get().getFileName().toString()
                : loading.get() != null ? messages.get("sidebar.loading", loading.get().getFileName()) : none, file, loading));
        loading.addListener((o, was, now) -> name.pseudoClassStateChanged(LOADING, now != null));
        name.pseudoClassStateChanged(LOADING, loading.get() != null);
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> file.get() != null ? file.get().toString()
                : loading.get() != null ? loading.get().toString() : none, file, loading));
        name.setTooltip(tip);
        HBox.setHgrow(name, Priority.ALWAYS);
        Button pick = new Button("\u2026");
        pick.setTooltip(new Tooltip(messages.get("sidebar.browse")));
        pick.setId(id + "-choose");
        pick.setOnAction(e -> browse.run());
        HBox line = new HBox(6, name, pick);
        line.setAlignment(Pos.CENTER_LEFT);
        return new VBox(2, caption, line);
    }

    private Node thumbnail() {
        ImageView view = new ImageView();
        view.setFitWidth(112);
        view.setFitHeight(112);
        view.setPreserveRatio(true);
        view.setSmooth(true);
        view.imageProperty().bind(vm.inputProperty().map(p -> {
            String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            return n.endsWith(".npy") ? null : new Image(p.toUri().toString(), 112, 112, true, true, true);
        }));
        StackPane frame = new StackPane(view);
        frame.getStyleClass().add("thumbnail");
        frame.setId("input-thumbnail");
        frame.setMaxWidth(120);
        frame.setMinHeight(120);
        frame.visibleProperty().bind(vm.inputProperty().isNotNull());
        frame.managedProperty().bind(frame.visibleProperty());
        return frame;
    }

    private void choose(ObjectProperty<Path> target, String filterKey, String... patterns) {
        FileChooser fc = new FileChooser();
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(messages.get(filterKey), List.of(patterns)));
        Path current = target.get() != null ? target.get() : vm.modelProperty().get();
        if (current != null && current.getParent() != null && current.getParent().toFile().isDirectory()) {
            fc.setInitialDirectory(current.getParent().toFile());
        }
        openFile.apply(fc).ifPresent(f -> target.set(f.toAbsolutePath()));
    }
}
