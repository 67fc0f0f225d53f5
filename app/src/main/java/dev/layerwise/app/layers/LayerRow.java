package dev.layerwise.app.layers;

import dev.layerwise.core.quant.QuantType;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * One layer in the Layers table and chart. The measured values are fixed; the type is the
 * user's pick. "Promoted" is a view of the type: ticked means "not the default type", and
 * ticking sets the promotion type chosen in the toolbar.
 */
public final class LayerRow {

    private final int index;
    private final String name;
    private final String op;
    private final String output;
    private final String shape;
    private final double individualCosine;
    private final double entireCosine;
    private final double euclidean;
    private final QuantType defaultType;
    private final ObjectProperty<QuantType> type;
    private final BooleanProperty promoted = new SimpleBooleanProperty(false);
    private final ReadOnlyBooleanWrapper unfriendly = new ReadOnlyBooleanWrapper(false);
    private boolean syncing;

    public LayerRow(int index, String name, String op, String output, String shape, double individualCosine,
            double entireCosine, double euclidean, QuantType defaultType, java.util.function.Supplier<QuantType> promoteType) {
        this.index = index;
        this.name = name;
        this.op = op;
        this.output = output;
        this.shape = shape;
        this.individualCosine = individualCosine;
        this.entireCosine = entireCosine;
        this.euclidean = euclidean;
        this.defaultType = defaultType;
        this.type = new SimpleObjectProperty<>(defaultType);
        type.addListener((o, was, now) -> sync(() -> promoted.set(now != defaultType)));
        promoted.addListener((o, was, now) -> sync(() -> type.set(now ? promoteType.get() : defaultType)));
    }

    private void sync(Runnable r) {
        if (!syncing) {
            syncing = true;
            try {
                r.run();
            } finally {
                syncing = false;
            }
        }
    }

    void updateThreshold(double threshold) {
        unfriendly.set(individualCosine < threshold);
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public String op() {
        return op;
    }

    public String output() {
        return output;
    }

    public String shape() {
        return shape;
    }

    public double individualCosine() {
        return individualCosine;
    }

    public double entireCosine() {
        return entireCosine;
    }

    public double euclidean() {
        return euclidean;
    }

    public QuantType defaultType() {
        return defaultType;
    }

    public ObjectProperty<QuantType> typeProperty() {
        return type;
    }

    public QuantType type() {
        return type.get();
    }

    public BooleanProperty promotedProperty() {
        return promoted;
    }

    public boolean isPromoted() {
        return promoted.get();
    }

    /** True when the individual cosine is under the threshold. */
    public ReadOnlyBooleanProperty unfriendlyProperty() {
        return unfriendly.getReadOnlyProperty();
    }

    public boolean isUnfriendly() {
        return unfriendly.get();
    }

    @Override
    public String toString() {
        return name;
    }
}
