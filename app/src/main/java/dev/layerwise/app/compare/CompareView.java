package dev.layerwise.app.compare;

import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.RedrawWhenShown;
import java.util.List;
import java.util.Locale;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The Compare view: one card per model (float, normal, hybrid, then any device columns) with
 * its top-5 (label, score as a bar, delta against float, or for a device column against the host
 * result of the same model) and final-output cosine. Entries whose class differs from the
 * reference's at the same rank are highlighted, and so is a card whose top-1 differs. Built in code.
 */
public final class CompareView {

    /** A card narrower than this cuts class names; a wider one only spreads the bars apart. */
    static final double MIN_CARD = 300;
    static final double MAX_CARD = 520;
    /** Output names wider than this may be shortened in the per-output tables, to keep them on screen. */
    static final double LONG_NAME = 170;
    /** Room for a horizontal scroll bar under a sideways-scrolling table. */
    private static final double SCROLL_BAR = 16;

    private final CompareViewModel vm;
    private final Messages messages;
    private final BorderPane root = new BorderPane();
    // cards flow: side by side when there is room, the next row when there is not (no sideways scrolling)
    private final FlowPane cards = new FlowPane(14, 14);
    private final FlowPane deviceCards = new FlowPane(14, 14);
    private final VBox outputTable = new VBox(6);
    private final Label summary = new Label();
    private final java.util.function.Consumer<java.util.Map<String, dev.layerwise.core.quant.QuantType>> usePicks;

    /**
     * @param rebuild rebuilds the hybrid from the current picks
     * @param usePicks makes a candidate's picks the current ones (an undoable change of picks)
     * @param dataset the section comparing every model over the dataset, under the analysed input's comparison
     */
    public CompareView(CompareViewModel vm, Messages messages, Runnable rebuild,
            java.util.function.Consumer<java.util.Map<String, dev.layerwise.core.quant.QuantType>> usePicks, Node dataset) {
        this.vm = vm;
        this.messages = messages;
        this.usePicks = usePicks;
        root.getStyleClass().add("compare-view");
        Button rebuildButton = new Button(messages.get("menu.rebuild"));
        rebuildButton.setOnAction(e -> rebuild.run());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        summary.getStyleClass().add("compare-summary");
        summary.textProperty().bind(vm.summaryProperty());
        Button keep = new Button(messages.get("compare.candidate.keep"));
        keep.setId("keep-candidate");
        keep.setTooltip(new javafx.scene.control.Tooltip(messages.get("compare.candidate.keepTip")));
        // not the cards: a detector has none, and its picks are worth keeping too
        keep.disableProperty().bind(vm.comparedProperty().not());
        keep.setOnAction(e -> {
            javafx.scene.control.TextInputDialog d = new dev.layerwise.app.common.Dialogs(messages).textInput(root.getScene().getWindow(),
                    vm.suggestCandidateName());
            d.setTitle(messages.get("compare.candidate.keep"));
            d.setHeaderText(messages.get("compare.candidate.keepTip"));
            d.setContentText(messages.get("compare.candidate.name"));
            d.showAndWait().ifPresent(vm::keepCandidate);
        });
        // the buttons keep their words; the summary wraps instead
        summary.setWrapText(true);
        summary.setMinWidth(120);
        keep.setMinWidth(Region.USE_PREF_SIZE);
        rebuildButton.setMinWidth(Region.USE_PREF_SIZE);
        HBox top = new HBox(10, summary, grow, keep, rebuildButton);
        top.setAlignment(Pos.CENTER_LEFT);
        top.setPadding(new Insets(10, 14, 4, 14));
        root.setTop(top);
        cards.setPadding(new Insets(10, 14, 14, 14));
        cards.setId("compare-cards");
        Label promoted = new Label();
        promoted.getStyleClass().add("compare-promoted");
        promoted.setWrapText(true);
        promoted.textProperty().bind(vm.promotedProperty());
        promoted.setPadding(new Insets(0, 14, 0, 14));
        // a board's columns sit under the host's, model under model, so each compares with the card above
        Label deviceSection = new Label();
        deviceSection.getStyleClass().add("compare-device-section");
        deviceSection.setWrapText(true);
        deviceSection.setPadding(new Insets(14, 14, 0, 14));
        deviceSection.textProperty().bind(vm.deviceSectionProperty());
        deviceSection.visibleProperty().bind(vm.deviceSectionProperty().isNotEmpty());
        deviceSection.managedProperty().bind(deviceSection.visibleProperty());
        deviceCards.setPadding(new Insets(10, 14, 14, 14));
        deviceCards.setId("compare-device-cards");
        outputTable.setId("compare-outputs");
        outputTable.getStyleClass().add("compare-outputs");
        outputTable.setPadding(new Insets(4, 14, 10, 14));
        // the dataset last: a board's cards belong right under the host's
        VBox body = new VBox(4, cards, outputTable, promoted, deviceSection, deviceCards, dataset);
        ScrollPane scroll = new ScrollPane(body);
        // the body keeps its own height: squeezed to the window, wrapped texts would lose their lines
        scroll.setFitToHeight(false);
        scroll.setFitToWidth(true);
        Label hint = new Label(messages.get("compare.device.hint"));
        hint.getStyleClass().add("hint");
        hint.setPadding(new Insets(0, 14, 10, 14));
        hint.visibleProperty().bind(vm.deviceSectionProperty().isEmpty());
        hint.managedProperty().bind(hint.visibleProperty());
        root.setCenter(scroll);
        root.setBottom(hint);
        // the cards and the output table are drawn when the Compare tab is in front, not on every tick behind it
        RedrawWhenShown redraw = new RedrawWhenShown(root, () -> {
            rebuildCards();
            rebuildOutputTable();
        });
        vm.columns().addListener((ListChangeListener<CompareColumn>) c -> redraw.request());
        vm.outputs().addListener((ListChangeListener<OutputRow>) c -> redraw.request());
        redraw.request();
    }

    public Node node() {
        return root;
    }

    private void rebuildCards() {
        cards.getChildren().clear();
        deviceCards.getChildren().clear();
        if (vm.columns().isEmpty() && vm.outputs().isEmpty()) {
            Label empty = new Label(messages.get("compare.empty"));
            empty.getStyleClass().add("hint");
            empty.setWrapText(true);
            cards.getChildren().add(empty);
            return;
        }
        for (CompareColumn c : vm.columns()) {
            FlowPane row = c.device() ? deviceCards : cards;
            Region card = (Region) card(c);
            int inRow = (int) vm.columns().stream().filter(o -> o.device() == c.device()).count();
            // share the row's width; under MIN_CARD a card takes the next row instead of being squeezed
            card.prefWidthProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(() -> {
                double free = row.getWidth() - row.getPadding().getLeft() - row.getPadding().getRight()
                        - row.getHgap() * (inRow - 1) - 1;
                // whole pixels and one to spare: widths snapped up to the pixel must not add up to more than the row
                return Math.max(MIN_CARD, Math.min(MAX_CARD, Math.floor(free / inRow) - 1));
            }, row.widthProperty()));
            row.getChildren().add(card);
        }
    }

    /**
     * The per-output table: every graph output with the normal and hybrid models' cosine,
     * euclidean distance and largest element error against the float output, and each kept
     * candidate's cosine (with its Use and Remove buttons over it: for a model without a class
     * vector this is where candidates live). Shown when the model has several outputs or none is
     * a class vector (then it replaces the top-5 cards).
     */
    private void rebuildOutputTable() {
        outputTable.getChildren().clear();
        boolean show = vm.outputs().size() > 1 || vm.outputs().stream().anyMatch(r -> !r.classVector()) && !vm.outputs().isEmpty();
        outputTable.setVisible(show);
        outputTable.setManaged(show);
        if (!show) {
            return;
        }
        String classOutput = vm.outputs().stream().filter(OutputRow::classVector).map(OutputRow::name).findFirst().orElse(null);
        Label title = new Label(classOutput != null ? messages.get("compare.outputs.title", classOutput)
                : messages.get("compare.outputs.titleNoClass"));
        title.getStyleClass().add("compare-title");
        title.setWrapText(true);
        GridPane grid = outputGrid(messages, vm.outputs(), new OutputFigures() {
            @Override
            public List<String> headers(OutputRow.Cell c) {
                // a candidate adds one column, not three: several of them still fit beside normal and hybrid
                return vm.candidateOf(c.model()) != null ? List.of("cosine") : List.of("cosine", "euclidean", "maxAbs");
            }

            @Override
            public List<Label> cells(OutputRow.Cell c) {
                Label cos = number("%.6f", c.cosine());
                if (c.worst()) {
                    cos.getStyleClass().add("worst-output");
                    cos.setTooltip(new javafx.scene.control.Tooltip(messages.get("compare.outputs.worst")));
                }
                if (vm.candidateOf(c.model()) != null) {
                    return List.of(cos);
                }
                return List.of(cos, number("%.4g", c.euclidean()), number("%.4g", c.maxAbsError()));
            }

            @Override
            public Node modelHeader(OutputRow.Cell c, Label title) {
                CompareViewModel.Candidate kept = vm.candidateOf(c.model());
                if (kept == null) {
                    return title;
                }
                // a menu on the name, not two buttons: the column stays as narrow as its numbers
                javafx.scene.control.MenuItem use = new javafx.scene.control.MenuItem(messages.get("compare.candidate.use"));
                use.getStyleClass().add("candidate-use");
                use.setOnAction(e -> usePicks.accept(kept.picks()));
                javafx.scene.control.MenuItem remove = new javafx.scene.control.MenuItem(messages.get("compare.candidate.remove"));
                remove.getStyleClass().add("candidate-remove");
                remove.setOnAction(e -> vm.removeCandidate(kept.name()));
                javafx.scene.control.MenuButton menu = new javafx.scene.control.MenuButton(kept.name(), null, use, remove);
                menu.getStyleClass().addAll("output-header", "compare-candidate-title", "candidate-menu");
                menu.setTooltip(new javafx.scene.control.Tooltip(String.join(", ", kept.picks().keySet())));
                menu.setId("output-candidate-" + c.model());
                menu.setMinWidth(Region.USE_PREF_SIZE);
                return menu;
            }
        });
        outputTable.getChildren().addAll(title, sideways(grid));
    }

    /**
     * A wide grid in its own sideways scroller: with many candidates on a small screen only the
     * table scrolls, while the texts around it still wrap to the window.
     */
    static Node sideways(GridPane grid) {
        ScrollPane s = new ScrollPane(grid);
        s.getStyleClass().add("sideways");
        // the grid keeps its own height, which the pane's follows: fitting it to the pane would feed back
        s.setFitToHeight(false);
        s.setVbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        s.setHbarPolicy(ScrollPane.ScrollBarPolicy.AS_NEEDED);
        // as tall as the grid plus the scroll bar when one shows (never over the last row); as wide as the window allows
        s.minHeightProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(
                () -> grid.getHeight() + (grid.getWidth() > s.getWidth() - 2 ? SCROLL_BAR : 0) + 2,
                grid.heightProperty(), grid.widthProperty(), s.widthProperty()));
        s.prefHeightProperty().bind(s.minHeightProperty());
        s.maxHeightProperty().bind(s.minHeightProperty());
        s.setMinWidth(0);
        // a plain wheel turn scrolls the page, not this table sideways
        s.addEventFilter(javafx.scene.input.ScrollEvent.SCROLL, e -> {
            if (e.getDeltaX() == 0 && e.getDeltaY() != 0 && s.getParent() != null) {
                e.consume();
                s.getParent().fireEvent(e.copyFor(s.getParent(), s.getParent()));
            }
        });
        return s;
    }

    /** How a per-output grid shows one model: the figures under its name and the name itself. */
    interface OutputFigures {
        /** Message keys (under {@code compare.outputs.}) of the figures shown for the model of {@code c}. */
        List<String> headers(OutputRow.Cell c);

        /** The figures of one cell, as many as {@link #headers}. */
        List<Label> cells(OutputRow.Cell c);

        /** What stands over the model's figures; {@code title} is its name, styled. */
        default Node modelHeader(OutputRow.Cell c, Label title) {
            return title;
        }
    }

    /**
     * A grid of graph outputs (rows) against quantized models (groups of columns): two header rows,
     * the model over its figures, so the headers stay short. Used on the analysed input and over the dataset.
     */
    static GridPane outputGrid(Messages messages, List<OutputRow> rows, OutputFigures figures) {
        GridPane grid = new GridPane();
        grid.getStyleClass().add("compare-output-grid");
        grid.setHgap(12);
        grid.setVgap(5);
        // names and shapes as wide as they are: the figures start right after them
        ColumnConstraints name = new ColumnConstraints();
        ColumnConstraints shapes = new ColumnConstraints();
        shapes.setMinWidth(Region.USE_PREF_SIZE);
        grid.getColumnConstraints().addAll(name, shapes);
        List<OutputRow.Cell> models = rows.get(0).cells();
        int col = 0;
        addCell(grid, header(messages.get("compare.outputs.output")), col++, 1);
        addCell(grid, header(messages.get("compare.outputs.shape")), col++, 1);
        for (OutputRow.Cell m : models) {
            Label title = header(m.title());
            title.getStyleClass().add("compare-" + m.model());
            title.setTooltip(new javafx.scene.control.Tooltip(m.title()));
            List<String> keys = figures.headers(m);
            Node top = figures.modelHeader(m, title);
            addCell(grid, top, col, 0);
            GridPane.setColumnSpan(top, keys.size());
            for (String k : keys) {
                addCell(grid, header(messages.get("compare.outputs." + k)), col++, 1);
            }
        }
        int row = 2;
        for (OutputRow r : rows) {
            col = 0;
            Label n = new Label(r.name());
            // a usual output name is shown whole; only a very long one gives way (its tooltip has all of it)
            javafx.scene.text.Text measure = new javafx.scene.text.Text(r.name());
            measure.setFont(n.getFont());
            n.setMinWidth(Math.min(LONG_NAME, Math.ceil(measure.getLayoutBounds().getWidth()) + 2));
            n.setTooltip(new javafx.scene.control.Tooltip(r.name()));
            addCell(grid, n, col++, row);
            Label shape = new Label(r.shape());
            shape.setMinWidth(Region.USE_PREF_SIZE);
            addCell(grid, shape, col++, row);
            for (OutputRow.Cell m : models) {
                for (Label l : figures.cells(r.cell(m.model()))) {
                    addCell(grid, l, col++, row);
                }
            }
            Region marker = new Region();
            marker.getStyleClass().add("output-row");
            marker.setUserData(r);
            marker.setManaged(false);
            marker.setVisible(false);
            grid.getChildren().add(marker);
            row++;
        }
        return grid;
    }

    /** A figure shown whole: a narrow window scrolls sideways rather than cut a number to "0.99…". */
    static Label number(String format, double value) {
        Label l = new Label(String.format(Locale.ROOT, format, value));
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    /** A candidate card's Use and Remove buttons. */
    private Node candidateActions(CompareViewModel.Candidate kept) {
        Button use = new Button(messages.get("compare.candidate.use"));
        use.getStyleClass().add("candidate-use");
        use.setOnAction(e -> usePicks.accept(kept.picks()));
        use.setTooltip(new javafx.scene.control.Tooltip(String.join(", ", kept.picks().keySet())));
        Button remove = new Button(messages.get("compare.candidate.remove"));
        remove.getStyleClass().add("candidate-remove");
        remove.setOnAction(e -> vm.removeCandidate(kept.name()));
        return new HBox(8, use, remove);
    }

    private static Label header(String text) {
        Label l = new Label(text);
        l.setMinWidth(Region.USE_PREF_SIZE);
        l.getStyleClass().add("output-header");
        return l;
    }

    private static void addCell(GridPane grid, Node n, int col, int row) {
        n.getStyleClass().add("output-cell");
        grid.add(n, col, row);
    }

    private Node card(CompareColumn c) {
        VBox card = new VBox(8);
        card.getStyleClass().addAll("compare-column", "compare-" + c.model());
        if (c.device()) {
            card.getStyleClass().add("device");
        }
        if (c.top1Differs()) {
            card.getStyleClass().add("disagrees");
        }
        card.setId("compare-column-" + c.id());
        card.setUserData(c);
        card.setPadding(new Insets(12));
        card.setMinWidth(Region.USE_COMPUTED_SIZE);
        card.setMaxWidth(MAX_CARD);

        Label title = new Label(c.title());
        title.getStyleClass().add("compare-title");
        Label cosine = new Label(Double.isNaN(c.finalCosine()) ? (c.note() == null ? "" : c.note())
                : messages.get("compare.finalCosine", String.format(Locale.ROOT, "%.6f", c.finalCosine())));
        cosine.getStyleClass().add("final-cosine");
        cosine.setWrapText(true);
        card.getChildren().addAll(title, cosine);
        if (c.top1Differs()) {
            Label warn = new Label(c.device() ? messages.get("compare.top1DiffersFrom", c.reference())
                    : messages.get("compare.top1Differs"));
            warn.getStyleClass().add("top1-differs");
            card.getChildren().add(warn);
        } else if ("float".equals(c.id())) {
            Label ref = new Label(messages.get("compare.reference"));
            ref.getStyleClass().add("top1-reference");
            card.getChildren().add(ref);
        } else {
            Label same = new Label(c.device() ? messages.get("compare.top1SameAs", c.reference())
                    : messages.get("compare.top1Same"));
            same.getStyleClass().add("top1-same");
            card.getChildren().add(same);
        }

        CompareViewModel.Candidate kept = vm.candidateOf(c.id());
        if (kept != null) {
            card.getStyleClass().add("compare-candidate");
            card.getChildren().add(candidateActions(kept));
        }

        GridPane grid = new GridPane();
        grid.setHgap(6);
        grid.setVgap(6);
        ColumnConstraints rank = new ColumnConstraints(16);
        // the class name gets the room; the score bar stays a fixed size
        // never narrower than the longest class name: a card that cannot show it takes the next row
        ColumnConstraints label = new ColumnConstraints(Region.USE_PREF_SIZE, Region.USE_COMPUTED_SIZE, Double.MAX_VALUE);
        label.setHgrow(Priority.ALWAYS);
        ColumnConstraints bar = new ColumnConstraints(76, 84, 110);
        bar.setHgrow(Priority.NEVER);
        ColumnConstraints delta = new ColumnConstraints(58);
        grid.getColumnConstraints().addAll(rank, label, bar, delta);
        int row = 0;
        for (CompareColumn.Entry e : c.entries()) {
            Label r = new Label(Integer.toString(e.rank()));
            Label name = new Label("[" + e.index() + "] " + (e.label() == null ? "" : e.label()));
            name.setMinWidth(Region.USE_PREF_SIZE);
            name.setTooltip(new javafx.scene.control.Tooltip(name.getText()));
            StackPane scoreBar = scoreBar(e.score());
            // the float column is the reference: its deltas would all read +0.0000
            String deltaText = "float".equals(c.id()) ? "" : Double.isNaN(e.delta()) ? "\u2014"
                    : String.format(Locale.ROOT, "%+.4f", e.delta());
            Label d = new Label(deltaText);
            d.getStyleClass().add(Double.isNaN(e.delta()) ? "delta-none" : e.delta() < -0.0005 ? "delta-down"
                    : e.delta() > 0.0005 ? "delta-up" : "delta-same");
            if (Double.isNaN(e.delta())) {
                d.setTooltip(new javafx.scene.control.Tooltip(c.device() ? messages.get("compare.delta.noneIn", c.reference())
                        : messages.get("compare.delta.none")));
            }
            HBox line = new HBox();
            for (Node n : new Node[] {r, name, scoreBar, d}) {
                GridPane.setRowIndex(n, row);
            }
            GridPane.setColumnIndex(r, 0);
            GridPane.setColumnIndex(name, 1);
            GridPane.setColumnIndex(scoreBar, 2);
            GridPane.setColumnIndex(d, 3);
            for (Node n : new Node[] {r, name, scoreBar, d}) {
                n.getStyleClass().add("top5-cell");
                if (e.differs()) {
                    n.getStyleClass().add("differs");
                }
            }
            // one invisible marker per entry, so tests and screen readers can find the whole entry
            line.getStyleClass().add("top5-entry");
            line.setUserData(e);
            line.setManaged(false);
            line.setVisible(false);
            grid.getChildren().addAll(r, name, scoreBar, d, line);
            row++;
        }
        card.getChildren().add(grid);
        return card;
    }

    private static StackPane scoreBar(double score) {
        Region track = new Region();
        track.getStyleClass().add("score-track");
        Region fill = new Region();
        fill.getStyleClass().add("score-fill");
        Label text = new Label(String.format(Locale.ROOT, "%.4f", score));
        text.getStyleClass().add("score-text");
        StackPane bar = new StackPane(track, fill, text);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setMinHeight(18);
        fill.maxWidthProperty().bind(bar.widthProperty().multiply(Math.max(0, Math.min(1, score))));
        fill.setMinWidth(0);
        track.setMaxWidth(Double.MAX_VALUE);
        StackPane.setAlignment(text, Pos.CENTER_LEFT);
        text.setPadding(new Insets(0, 0, 0, 6));
        return bar;
    }
}
