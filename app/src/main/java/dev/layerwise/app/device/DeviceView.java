package dev.layerwise.app.device;

import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * The Device view: the device list (refresh, add a network board), the selected device's
 * details, the runner profile, Run with progress and cancel, the last run's results and any
 * device failure, shown here rather than in a dialog. Built in code; all state is in the
 * {@link DeviceViewModel}.
 */
public final class DeviceView {

    private final DeviceViewModel vm;
    private final Messages messages;
    private final Function<FileChooser, Optional<Path>> openFile;
    private final HBox root = new HBox(18);
    private final GridPane details = new GridPane();
    private final GridPane resultGrid = new GridPane();

    /**
     * @param showCompare switches to the Compare view
     * @param openFile shows a file chooser the window's way and gives the file picked, so that a
     *     headless test can answer it (the window's {@code FileDialogs}; Monocle has no native dialog)
     */
    public DeviceView(DeviceViewModel vm, Messages messages, Runnable showCompare, Function<FileChooser, Optional<Path>> openFile) {
        this.vm = vm;
        this.messages = messages;
        this.openFile = openFile;
        root.setId("device-view");
        root.getStyleClass().add("device-view");
        root.setPadding(new Insets(14));

        VBox left = listPane();
        VBox right = new VBox(12, detailsPane(), runPane(), resultsPane(showCompare));
        right.setMaxWidth(Double.MAX_VALUE);
        ScrollPane scroll = new ScrollPane(right);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("device-scroll");
        HBox.setHgrow(scroll, Priority.ALWAYS);
        // grows into the room left: wide result lines must not squeeze the device list
        scroll.setPrefWidth(600);
        root.getChildren().addAll(left, scroll);

        vm.selectedProperty().addListener((o, was, now) -> fillDetails(now));
        fillDetails(vm.selectedProperty().get());
        vm.results().addListener((ListChangeListener<ResultLine>) c -> fillResults());
        fillResults();
    }

    public Node node() {
        return root;
    }

    private VBox listPane() {
        Label title = new Label(messages.get("device.title"));
        title.getStyleClass().add("device-title");
        Button refresh = new Button(messages.get("device.refresh"));
        refresh.setId("device-refresh");
        refresh.disableProperty().bind(vm.busyProperty());
        refresh.setOnAction(e -> vm.refresh());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox head = new HBox(8, title, grow, refresh);
        head.setAlignment(Pos.CENTER_LEFT);

        Label count = new Label();
        count.setId("device-list-message");
        count.setWrapText(true);
        count.getStyleClass().add("hint");
        count.textProperty().bind(vm.listMessageProperty());

        ListView<DeviceRow> list = new ListView<>(vm.devices());
        list.setId("device-list");
        list.setPrefHeight(240);
        list.setMinHeight(120);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(DeviceRow row, boolean empty) {
                super.updateItem(row, empty);
                getStyleClass().removeAll("device-usable", "device-unusable");
                if (empty || row == null) {
                    setText(null);
                    setTooltip(null);
                } else {
                    setText(row.listText());
                    getStyleClass().add(row.usable() ? "device-usable" : "device-unusable");
                    setTooltip(row.usable() ? null : new Tooltip(row.hint()));
                }
            }
        });
        // the list follows the view model's selection, and the user's choice goes back to it
        vm.selectedProperty().addListener((o, was, now) -> {
            if (list.getSelectionModel().getSelectedItem() != now) {
                list.getSelectionModel().select(now);
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null) {
                vm.selectedProperty().set(now);
            }
        });
        list.getSelectionModel().select(vm.selectedProperty().get());

        TextField address = new TextField();
        address.setId("device-address");
        address.setPromptText(messages.get("device.address.prompt"));
        address.setTooltip(new Tooltip(messages.get("device.address.tip")));
        address.textProperty().bindBidirectional(vm.addressProperty());
        HBox.setHgrow(address, Priority.ALWAYS);
        Button add = new Button(messages.get("device.add"));
        add.setId("device-add");
        add.disableProperty().bind(vm.busyProperty());
        add.setOnAction(e -> vm.connect());
        address.setOnAction(e -> vm.connect());
        HBox addRow = new HBox(6, address, add);
        addRow.setAlignment(Pos.CENTER_LEFT);

        Label help = new Label(messages.get("device.help"));
        help.setWrapText(true);
        help.getStyleClass().add("hint");

        VBox left = new VBox(8, head, count, list, addRow, help);
        left.setMinWidth(280);
        left.setPrefWidth(340);
        left.setMaxWidth(420);
        return left;
    }

    private Node detailsPane() {
        Label title = new Label(messages.get("device.details"));
        title.getStyleClass().add("device-section");
        details.setId("device-details");
        details.setHgap(12);
        details.setVgap(5);
        ColumnConstraints key = new ColumnConstraints(110);
        ColumnConstraints value = new ColumnConstraints(100, 400, Double.MAX_VALUE);
        value.setHgrow(Priority.ALWAYS);
        details.getColumnConstraints().addAll(key, value);
        VBox box = new VBox(6, title, details);
        box.getStyleClass().add("device-card");
        return box;
    }

    private void fillDetails(DeviceRow d) {
        details.getChildren().clear();
        if (d == null) {
            Label none = new Label(messages.get("device.none"));
            none.getStyleClass().add("hint");
            details.add(none, 0, 0, 2, 1);
            return;
        }
        int r = 0;
        addField("device.field.serial", d.serial(), r++, null);
        Label state = addField("device.field.state", d.usable() ? messages.get("device.state.ready") : d.state() + " \u2014 " + d.hint(),
                r++, d.usable() ? "state-ready" : "state-problem");
        state.setId("device-state");
        if (d.usable()) {
            addField("device.field.model", d.model(), r++, null);
            addField("device.field.soc", d.soc(), r++, null);
            addField("device.field.os", d.os(), r++, null);
            addField("device.field.free", d.freeSpace(), r++, null);
            addField("device.field.runtimes", d.runtimes(), r++, null);
            if (!d.compatible().isBlank()) {
                addField("device.field.compatible", d.compatible(), r++, "hint");
            }
        }
        if (!d.problem().isBlank()) {
            addField("device.field.problem", d.problem(), r, "device-error");
        }
    }

    private Label addField(String key, String text, int row, String style) {
        Label k = new Label(messages.get(key));
        k.getStyleClass().add("field-caption");
        Label v = new Label(text);
        v.setWrapText(true);
        if (style != null) {
            v.getStyleClass().add(style);
        }
        details.add(k, 0, row);
        details.add(v, 1, row);
        return v;
    }

    private Node runPane() {
        Label caption = new Label(messages.get("device.profile"));
        caption.getStyleClass().add("device-section");
        ComboBox<ProfileChoice> profiles = new ComboBox<>(vm.profiles());
        profiles.setId("device-profile");
        profiles.setMinWidth(Region.USE_PREF_SIZE);
        profiles.setPrefWidth(200);
        profiles.valueProperty().bindBidirectional(vm.profileProperty());
        Label description = new Label();
        description.setWrapText(true);
        description.getStyleClass().add("hint");
        description.textProperty().bind(Bindings.createStringBinding(() -> {
            ProfileChoice p = vm.profileProperty().get();
            if (p == null) {
                return "";
            }
            // a built-in profile is described in the user's language; a user's own profile in its own words
            String key = "device.profile.desc." + p.name();
            String text = "built-in".equals(p.source()) && messages.has(key) ? messages.get(key)
                    : p.description() + ("built-in".equals(p.source()) ? "" : "  (" + p.source() + ")");
            return p.runnable() || p.rknn() ? text : text + "\n" + messages.get("device.profile.notRunnable");
        }, vm.profileProperty()));
        description.setMinWidth(0);
        // a FlowPane is as narrow as its widest child's preferred width: this keeps the card within a 1024 px window
        description.setPrefWidth(300);
        // side by side when there is room, stacked in a narrow window
        javafx.scene.layout.FlowPane profileRow = new javafx.scene.layout.FlowPane(10, 6, profiles, description);
        profileRow.setAlignment(Pos.CENTER_LEFT);

        // a .rknn profile runs the user's file: choose it here; the ONNX profiles run the Compare view's models
        Label rknnCaption = new Label(messages.get("device.rknn.caption"));
        rknnCaption.getStyleClass().add("field-caption");
        rknnCaption.setMinWidth(Region.USE_PREF_SIZE);
        Label rknnFile = new Label();
        rknnFile.setId("device-rknn-file");
        rknnFile.setWrapText(true);
        rknnFile.setMinWidth(0);
        rknnFile.textProperty().bind(Bindings.createStringBinding(() -> vm.rknnFileProperty().get() == null
                ? messages.get("device.rknn.none") : vm.rknnFileProperty().get().toString(), vm.rknnFileProperty()));
        rknnFile.setTooltip(new Tooltip(messages.get("device.rknn.help")));
        Button chooseRknn = new Button(messages.get("device.rknn.choose"));
        chooseRknn.setId("device-rknn-choose");
        chooseRknn.setMinWidth(Region.USE_PREF_SIZE);
        chooseRknn.disableProperty().bind(vm.busyProperty());
        chooseRknn.setOnAction(e -> chooseRknn());
        HBox.setHgrow(rknnFile, Priority.ALWAYS);
        HBox rknnRow = new HBox(10, rknnCaption, chooseRknn, rknnFile);
        rknnRow.setAlignment(Pos.CENTER_LEFT);
        rknnRow.setId("device-rknn-row");
        rknnRow.visibleProperty().bind(Bindings.createBooleanBinding(() -> vm.profileProperty().get() != null
                && vm.profileProperty().get().rknn(), vm.profileProperty()));
        rknnRow.managedProperty().bind(rknnRow.visibleProperty());

        Button run = new Button();
        run.textProperty().bind(Bindings.createStringBinding(() -> messages.get(vm.profileProperty().get() != null
                && vm.profileProperty().get().rknn() ? "device.run.rknn" : "device.run"), vm.profileProperty()));
        run.setId("device-run");
        run.getStyleClass().add("accent");
        run.disableProperty().bind(vm.runnableProperty().not());
        run.setOnAction(e -> vm.run());
        Button cancel = new Button(messages.get("device.cancel"));
        cancel.setId("device-cancel");
        cancel.disableProperty().bind(vm.busyProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        TaskStatus status = vm.status();
        ProgressBar bar = new ProgressBar();
        bar.setId("device-progress");
        bar.setPrefWidth(160);
        bar.progressProperty().bind(Bindings.when(vm.busyProperty()).then(status.progressProperty()).otherwise(0.0));
        Label step = new Label();
        step.getStyleClass().add("hint");
        step.textProperty().bind(Bindings.when(vm.busyProperty()).then(status.messageProperty()).otherwise(""));
        step.setMinWidth(0);
        run.setMinWidth(Region.USE_PREF_SIZE);
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        javafx.scene.layout.FlowPane buttons = new javafx.scene.layout.FlowPane(10, 6, run, cancel);
        buttons.setAlignment(Pos.CENTER_LEFT);
        HBox progress = new HBox(10, bar, step);
        progress.setAlignment(Pos.CENTER_LEFT);
        progress.visibleProperty().bind(vm.busyProperty());
        progress.managedProperty().bind(progress.visibleProperty());

        Label error = new Label();
        error.setId("device-error");
        error.setWrapText(true);
        error.getStyleClass().add("device-error");
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        Label done = new Label();
        done.setId("device-run-message");
        done.setWrapText(true);
        done.textProperty().bind(vm.runMessageProperty());
        done.visibleProperty().bind(vm.runMessageProperty().isNotEmpty());
        done.managedProperty().bind(done.visibleProperty());

        VBox box = new VBox(8, caption, profileRow, rknnRow, buttons, progress, error, done);
        box.getStyleClass().add("device-card");
        return box;
    }

    private Node resultsPane(Runnable showCompare) {
        Label title = new Label(messages.get("device.results"));
        title.getStyleClass().add("device-section");
        Button compare = new Button(messages.get("device.showCompare"));
        compare.setId("device-show-compare");
        compare.setOnAction(e -> showCompare.run());
        // a .rknn run, or a model without a class vector, adds no Compare columns
        compare.disableProperty().bind(Bindings.createBooleanBinding(
                () -> vm.compare().columns().stream().noneMatch(c -> c.device()), vm.compare().columns()));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox head = new HBox(8, title, grow, compare);
        head.setAlignment(Pos.CENTER_LEFT);
        resultGrid.setId("device-results");
        resultGrid.setHgap(16);
        resultGrid.setVgap(5);
        // the lines scroll sideways on their own in a narrow window, so the cards above keep the window's width
        ScrollPane lines = new ScrollPane(resultGrid);
        lines.setId("device-results-scroll");
        // edge to edge, and the card's colour shows through (the view's own scroll pane style)
        lines.getStyleClass().addAll("edge-to-edge", "device-scroll");
        lines.setVbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        lines.setHbarPolicy(ScrollPane.ScrollBarPolicy.AS_NEEDED);
        lines.setMinViewportWidth(0);
        lines.setPrefViewportWidth(0);
        lines.minViewportHeightProperty().bind(resultGrid.heightProperty());
        lines.prefViewportHeightProperty().bind(resultGrid.heightProperty());
        VBox box = new VBox(6, head, lines);
        box.getStyleClass().add("device-card");
        box.visibleProperty().bind(Bindings.isNotEmpty(vm.results()));
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    private void fillResults() {
        resultGrid.getChildren().clear();
        // the output column only when a model has more than one output
        boolean outputs = vm.results().stream().map(ResultLine::model).distinct().count() < vm.results().size();
        List<String> heads = new java.util.ArrayList<>(List.of("device.results.model", "device.results.output",
            "device.results.board", "device.results.host", "device.results.agrees", "device.results.delta",
            "device.results.push", "device.results.run"));
        if (!outputs) {
            heads.remove("device.results.output");
        }
        for (int c = 0; c < heads.size(); c++) {
            Label h = new Label(messages.get(heads.get(c)));
            h.getStyleClass().add("field-caption");
            resultGrid.add(h, c, 0);
        }
        int r = 1;
        for (ResultLine line : vm.results()) {
            Label agrees = new Label(line.agreement());
            agrees.getStyleClass().add(line.agrees() ? "top1-same" : "top1-differs");
            List<Node> cells = new java.util.ArrayList<>(List.of(new Label(line.model()), new Label(line.output()),
                new Label(line.board()), new Label(line.host()), agrees, new Label(line.difference()),
                new Label(messages.get("device.results.ms", line.pushMillis())),
                new Label(messages.get("device.results.ms", line.runMillis()))));
            if (!outputs) {
                cells.remove(1);
            }
            for (int c = 0; c < cells.size(); c++) {
                resultGrid.add(cells.get(c), c, r);
            }
            r++;
        }
    }

    private void chooseRknn() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(messages.get("device.rknn.chooserTitle"));
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("RKNN (*.rknn)", "*.rknn"),
                new FileChooser.ExtensionFilter("*", "*"));
        Path current = vm.rknnFileProperty().get();
        if (current != null && current.toAbsolutePath().getParent() != null
                && Files.isDirectory(current.toAbsolutePath().getParent())) {
            chooser.setInitialDirectory(current.toAbsolutePath().getParent().toFile());
        }
        openFile.apply(chooser).ifPresent(vm::chooseRknn);
    }
}
