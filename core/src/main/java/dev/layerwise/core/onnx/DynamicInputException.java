package dev.layerwise.core.onnx;

/**
 * A model input keeps a dynamic dimension (other than the batch) and no size was given for it;
 * quantization needs fixed sizes. The message ends with the command line's fix
 * ({@value InputShapes#OPTION} and an example); {@link #problem()} and {@link #example()} let the
 * window say the same in its own terms (its Input shape field) without reading the sentence.
 * Immutable.
 */
public final class DynamicInputException extends ModelLoadException {

    private final String problem;
    private final String example;

    /**
     * @param problem what is wrong, naming the model, the input and the dimension, e.g.
     *     {@code m.onnx: input 'x' has a dynamic dimension 'h' at position 2 (1x3xhxw)}
     * @param example a size to give, as the option takes it, e.g. {@code x=1,3,640,640}
     */
    public DynamicInputException(String problem, String example) {
        super(problem + "; fix its size with " + InputShapes.OPTION + " " + example);
        this.problem = problem;
        this.example = example;
    }

    /** What is wrong, without the fix. */
    public String problem() {
        return problem;
    }

    /** A size to give for the input, {@code NAME=dims}. */
    public String example() {
        return example;
    }
}
