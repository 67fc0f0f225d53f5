package dev.layerwise.app.common;

import java.util.function.UnaryOperator;

/**
 * The engine's step names ("calibrating", "ranking layers") in the window's language, for
 * {@link TaskStatus#nameSteps}. A step without a translation (one a view model already named, or a
 * new one) is shown as it is. Read when the status bar is updated, so a change of language applies
 * to the next step.
 */
public final class StepNames {

    private StepNames() {
    }

    public static UnaryOperator<String> in(Messages messages) {
        return step -> {
            String key = "step.engine." + step.replace(' ', '_');
            return messages.has(key) ? messages.get(key) : step;
        };
    }
}
