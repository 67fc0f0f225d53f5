package dev.layerwise.app.compare;

import dev.layerwise.app.common.Messages;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The Compare view's section "Over the dataset": how many images, Compare and Cancel with a
 * progress bar, then one row per model (top-1 agreement, mean and min final-output cosine, the
 * worst image as a link that makes it the analysed input) and, for models with several outputs or
 * no class vector, every output's mean and min cosine per model. Built in code.
 */
public final class DatasetCompareView {

    private final DatasetCompareViewModel vm;
    private final Messages messages;
    private final Consumer<Path> analyse;
    private final VBox root = new VBox(8);
    private final GridPane table = new GridPane();
    private final VBox perOutput = new VBox(6);
    // the spinner's value is bound through this object: held here so that it is not collected
    private final ObjectProperty<Integer> limit;

    /** @param analyse makes an image the analysed input (and so the one the cards above compare on) */
    public DatasetCompareView(DatasetCompareViewModel vm, Messages messages, Consumer<Path> analyse) {
        this.vm = vm;
        this.messages = messages;
        this.analyse = analyse;
        root.setId("dataset-compare");
        root.getStyleClass().add("dataset-compare");
        root.setPadding(new Insets(14, 14, 10, 14));

        Label title = new Label(messages.get("compare.dataset.title"));
        title.getStyleClass().add("compare-title");
        Label explain = new Label(messages.get("compare.dataset.explain"));
        explain.getStyleClass().add("hint");
        explain.setWrapText(true);

        Label images = new Label(messages.get("compare.dataset.images"));
        Spinner<Integer> count = new Spinner<>();
        count.setId("dataset-limit");
        SpinnerValueFactory.IntegerSpinnerValueFactory f = new SpinnerValueFactory.IntegerSpinnerValueFactory(1,
                Math.max(1, vm.availableProperty().get()), Math.max(1, vm.limitProperty().get()));
        f.maxProperty().bind(Bindings.max(1, vm.availableProperty()));
        count.setValueFactory(f);
        count.setEditable(true);
        count.setPrefWidth(95);
        limit = vm.limitProperty().asObject();
        f.valueProperty().bindBidirectional(limit);
        count.disableProperty().bind(vm.runningProperty().or(vm.availableProperty().isEqualTo(0)));
        Label of = new Label();
        of.textProperty().bind(Bindings.createStringBinding(() -> messages.get("compare.dataset.of", vm.availableProperty().get()),
                vm.availableProperty()));
        Button run = new Button(messages.get("compare.dataset.run"));
        run.setId("dataset-run");
        run.getStyleClass().add("default-action");
        run.disableProperty().bind(vm.runningProperty().or(vm.availableProperty().isEqualTo(0)));
        run.setOnAction(e -> {
            // a value typed but not yet committed with Enter counts
            count.increment(0);
            vm.start();
        });
        Button cancel = new Button(messages.get("compare.dataset.cancel"));
        cancel.setId("dataset-cancel");
        cancel.disableProperty().bind(vm.runningProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        ProgressBar bar = new ProgressBar();
        bar.setId("dataset-progress");
        bar.setPrefWidth(140);
        bar.progressProperty().bind(vm.progressProperty());
        bar.visibleProperty().bind(vm.runningProperty());
        bar.managedProperty().bind(bar.visibleProperty());
        Label status = new Label();
        status.setId("dataset-status");
        status.getStyleClass().add("compare-summary");
        status.textProperty().bind(vm.statusProperty());
        // what belongs together wraps together on a narrow window
        javafx.scene.layout.HBox howMany = new javafx.scene.layout.HBox(8, images, count, of);
        howMany.setAlignment(Pos.CENTER_LEFT);
        javafx.scene.layout.HBox buttons = new javafx.scene.layout.HBox(8, run, cancel);
        FlowPane controls = new FlowPane(10, 6, howMany, buttons, bar, status);
        controls.setAlignment(Pos.CENTER_LEFT);

        Label stale = new Label(messages.get("compare.dataset.stale"));
        stale.setId("dataset-stale");
        stale.getStyleClass().add("dataset-stale");
        stale.setWrapText(true);
        stale.visibleProperty().bind(vm.staleProperty());
        stale.managedProperty().bind(stale.visibleProperty());

        table.setId("dataset-table");
        table.getStyleClass().addAll("compare-outputs", "dataset-table");
        table.setHgap(18);
        table.setVgap(5);
        perOutput.setId("dataset-outputs");
        perOutput.getStyleClass().add("compare-outputs");
        root.getChildren().addAll(title, explain, controls, stale, table, perOutput);
        vm.rows().addListener((ListChangeListener<DatasetCompareViewModel.Row>) c -> rebuild());
        vm.outputs().addListener((ListChangeListener<OutputRow>) c -> rebuildOutputs());
        rebuild();
        rebuildOutputs();
    }

    public Node node() {
        return root;
    }

    private void rebuild() {
        table.getChildren().clear();
        table.getColumnConstraints().clear();
        table.setVisible(!vm.rows().isEmpty());
        table.setManaged(table.isVisible());
        if (vm.rows().isEmpty()) {
            return;
        }
        boolean classes = vm.classVectorProperty().get();
        ColumnConstraints model = new ColumnConstraints(80, Region.USE_COMPUTED_SIZE, 320);
        table.getColumnConstraints().add(model);
        int col = 0;
        table.add(header("compare.dataset.model", null), col++, 0);
        if (classes) {
            table.add(header("compare.dataset.top1", null), col++, 0);
        }
        table.add(header("compare.dataset.mean", "compare.dataset.meanTip"), col++, 0);
        table.add(header("compare.dataset.min", "compare.dataset.minTip"), col++, 0);
        table.add(header("compare.dataset.worst", null), col, 0);
        int row = 1;
        for (DatasetCompareViewModel.Row r : vm.rows()) {
            col = 0;
            Label name = new Label(r.title());
            name.getStyleClass().addAll("dataset-model", "compare-" + r.id());
            if (r.id().startsWith(CompareViewModel.CANDIDATE)) {
                name.getStyleClass().add("compare-candidate-title");
            }
            name.setMinWidth(0);
            name.setTooltip(new Tooltip(r.picks().isEmpty() ? r.title() : r.title() + "\n" + String.join(", ", r.picks().keySet())));
            table.add(name, col++, row);
            if (classes) {
                table.add(new Label(String.format(Locale.ROOT, "%.1f %%", 100 * r.top1Agreement())), col++, row);
            }
            table.add(CompareView.number("%.6f", r.meanCosine()), col++, row);
            table.add(CompareView.number("%.6f", r.minCosine()), col++, row);
            table.add(worst(r), col, row);
            Region marker = new Region();
            marker.getStyleClass().add("dataset-row");
            marker.setUserData(r);
            marker.setManaged(false);
            marker.setVisible(false);
            table.getChildren().add(marker);
            row++;
        }
    }

    /** The worst image: a link that analyses it, or a dash for the float model (the reference). */
    private Node worst(DatasetCompareViewModel.Row r) {
        if (r.worstInput() == null) {
            Label ref = new Label(messages.get("compare.dataset.reference"));
            ref.getStyleClass().add("hint");
            return ref;
        }
        String name = CompareViewModel.fileName(r.worstInput());
        if (r.worstFile() == null) {
            Label l = new Label(name);
            l.setTooltip(new Tooltip(r.worstInput()));
            return l;
        }
        Hyperlink link = new Hyperlink(name);
        link.getStyleClass().add("dataset-worst");
        link.setId("dataset-worst-" + r.id());
        link.setTooltip(new Tooltip(messages.get("compare.dataset.worstTip", r.worstInput())));
        link.setOnAction(e -> analyse.accept(r.worstFile()));
        return link;
    }

    private Label header(String key, String tipKey) {
        Label l = new Label(messages.get(key));
        l.getStyleClass().add("output-header");
        if (tipKey != null) {
            l.setTooltip(new Tooltip(messages.get(tipKey)));
        }
        return l;
    }

    /** Every output's mean and min cosine per model, when there is more than one output or no class vector. */
    private void rebuildOutputs() {
        perOutput.getChildren().clear();
        List<OutputRow> rows = vm.outputs();
        boolean show = !rows.isEmpty() && rows.get(0).cells().size() > 0
                && (rows.size() > 1 || rows.stream().anyMatch(r -> !r.classVector()));
        perOutput.setVisible(show);
        perOutput.setManaged(show);
        if (!show) {
            return;
        }
        Label title = new Label(messages.get("compare.dataset.perOutput"));
        title.getStyleClass().add("output-header");
        title.setWrapText(true);
        GridPane grid = CompareView.outputGrid(messages, rows, new CompareView.OutputFigures() {
            @Override
            public List<String> headers(OutputRow.Cell c) {
                return List.of("mean", "min");
            }

            @Override
            public List<Label> cells(OutputRow.Cell c) {
                Label mean = CompareView.number("%.6f", c.cosine());
                if (c.worst()) {
                    mean.getStyleClass().add("worst-output");
                    mean.setTooltip(new Tooltip(messages.get("compare.outputs.worst")));
                }
                Label min = CompareView.number("%.6f", c.minCosine());
                return List.of(mean, min);
            }
        });
        perOutput.getChildren().addAll(title, CompareView.sideways(grid));
    }
}
