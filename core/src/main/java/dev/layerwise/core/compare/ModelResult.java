package dev.layerwise.core.compare;

import dev.layerwise.core.analysis.Metrics;
import dev.layerwise.core.runtime.TopK;
import java.util.List;

/**
 * How one model (float, normal or hybrid; host or device) classified the compared inputs. Immutable.
 *
 * @param name {@code float}, {@code normal}, {@code hybrid} or a device column's name
 * @param top5 top-5 on the first input
 * @param vsFloat final output against the float model's, averaged over inputs
 * @param top1 top-1 class index per input
 * @param top1Agreement share of inputs whose top-1 equals the float model's, in [0, 1]
 */
public record ModelResult(String name, TopK top5, Metrics vsFloat, List<Integer> top1, double top1Agreement) {
    public ModelResult {
        top1 = List.copyOf(top1);
    }
}
