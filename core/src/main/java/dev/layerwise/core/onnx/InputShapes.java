package dev.layerwise.core.onnx;

import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorShapeProto;
import dev.layerwise.core.onnx.proto.Onnx.ValueInfoProto;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Sizes the user fixes for a model's inputs, by input name (RKNN's {@code input_size_list}):
 * {@code --input-shape images=1,3,640,640}. Each shape lists every dimension, batch included,
 * all positive. A shape without a name ({@code --input-shape 1,3,640,640}) is for a model's only
 * input: it is kept under {@link #UNNAMED} until {@link #apply} knows the model. Immutable.
 *
 * @param shapes input name (or {@link #UNNAMED}) to full shape, in the order given
 */
public record InputShapes(Map<String, long[]> shapes) {

    /** The command-line option that sets these; error messages name it. */
    public static final String OPTION = "--input-shape";

    /**
     * The key of a shape given without an input name; no graph input has it, since ONNX names
     * every input.
     */
    public static final String UNNAMED = "";

    /** No fixed sizes. */
    public static final InputShapes NONE = new InputShapes(Map.of());

    public InputShapes {
        Map<String, long[]> copy = new LinkedHashMap<>();
        shapes.forEach((k, v) -> copy.put(k, v.clone()));
        shapes = Collections.unmodifiableMap(copy);
    }

    /**
     * Parses {@code NAME=D0,D1,…} entries (the name may itself contain {@code =}; the last one
     * separates it), or one {@code D0,D1,…} entry without a name, for a model with one input.
     *
     * @throws IllegalArgumentException naming the entry that is not of that form
     */
    public static InputShapes parse(List<String> entries) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String e : entries) {
            int eq = e.lastIndexOf('=');
            // digits and commas alone are a shape without a name; anything else without '=' is a mistake
            boolean unnamed = eq < 0 && e.matches("[0-9,\\s]*[0-9][0-9,\\s]*");
            if (!unnamed && (eq <= 0 || eq == e.length() - 1)) {
                throw new IllegalArgumentException(OPTION + " '" + e + "': expected NAME=1,3,640,640 (or 1,3,640,640 when the"
                        + " model has one input)");
            }
            String name = unnamed ? UNNAMED : e.substring(0, eq);
            String[] parts = e.substring(eq + 1).split(",");
            long[] dims = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    dims[i] = Long.parseLong(parts[i].strip());
                } catch (NumberFormatException x) {
                    dims[i] = -1;
                }
                if (dims[i] <= 0) {
                    throw new IllegalArgumentException(OPTION + " '" + e + "': '" + parts[i].strip()
                            + "' is not a positive whole number");
                }
            }
            if (out.put(name, dims) != null) {
                throw new IllegalArgumentException(unnamed ? OPTION + " gives two shapes without an input name"
                        : OPTION + " names input '" + name + "' twice");
            }
        }
        return new InputShapes(out);
    }

    public boolean isEmpty() {
        return shapes.isEmpty();
    }

    /** The entries as the option writes them, e.g. {@code images=1,3,640,640}. */
    public List<String> format() {
        return shapes.entrySet().stream().map(e -> (e.getKey().equals(UNNAMED) ? "" : e.getKey() + "=") + dims(e.getValue()))
                .toList();
    }

    private static String dims(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    /**
     * The model with these sizes written into its input declarations; then checks that no input
     * keeps a dynamic dimension other than the batch (which runs as 1).
     *
     * @throws ModelLoadException for an unknown input name, a shape without a name for a model with
     *     several inputs, a rank or fixed size that disagrees, or a dynamic dimension left open,
     *     naming {@value #OPTION}
     */
    public ModelProto apply(ModelProto m, String label) throws ModelLoadException {
        GraphProto.Builder g = m.getGraph().toBuilder();
        Set<String> inits = m.getGraph().getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
        List<String> inputNames = m.getGraph().getInputList().stream().map(ValueInfoProto::getName)
                .filter(n -> !inits.contains(n)).toList();
        Map<String, long[]> byName = named(inputNames, label);
        for (String name : byName.keySet()) {
            if (!inputNames.contains(name)) {
                throw new ModelLoadException(label + ": " + OPTION + " names input '" + name + "', but the model's inputs are "
                        + String.join(", ", inputNames));
            }
        }
        for (int i = 0; i < g.getInputCount(); i++) {
            ValueInfoProto vi = g.getInput(i);
            if (inits.contains(vi.getName())) {
                continue;
            }
            long[] want = byName.get(vi.getName());
            TensorShapeProto shape = vi.getType().getTensorType().getShape();
            if (want != null) {
                if (vi.getType().getTensorType().hasShape() && shape.getDimCount() != want.length) {
                    throw new ModelLoadException(label + ": " + OPTION + " gives input '" + vi.getName() + "' " + want.length
                            + " dimensions, the model declares " + shape.getDimCount() + " (" + describe(shape) + ")");
                }
                TensorShapeProto.Builder sb = TensorShapeProto.newBuilder();
                for (int d = 0; d < want.length; d++) {
                    if (d < shape.getDimCount() && shape.getDim(d).hasDimValue() && shape.getDim(d).getDimValue() > 0
                            && shape.getDim(d).getDimValue() != want[d]) {
                        throw new ModelLoadException(label + ": " + OPTION + " sets dimension " + d + " of input '"
                                + vi.getName() + "' to " + want[d] + ", but the model fixes it at " + shape.getDim(d).getDimValue()
                                + " (" + describe(shape) + ")");
                    }
                    sb.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(want[d]));
                }
                vi = vi.toBuilder().setType(vi.getType().toBuilder().setTensorType(
                        vi.getType().getTensorType().toBuilder().setShape(sb))).build();
                g.setInput(i, vi);
                continue;
            }
            for (int d = 1; d < shape.getDimCount(); d++) {
                var dim = shape.getDim(d);
                if (!dim.hasDimValue() || dim.getDimValue() <= 0) {
                    throw new DynamicInputException(label + ": input '" + vi.getName() + "' has a dynamic dimension "
                            + (dim.hasDimParam() && !dim.getDimParam().isEmpty() ? "'" + dim.getDimParam() + "' " : "")
                            + "at position " + d + " (" + describe(shape) + ")", vi.getName() + "=" + example(shape));
                }
            }
        }
        return shapes.isEmpty() ? m : m.toBuilder().setGraph(g).build();
    }

    /** The shapes by input name: a shape without a name goes to the model's only input. */
    private Map<String, long[]> named(List<String> inputNames, String label) throws ModelLoadException {
        long[] unnamed = shapes.get(UNNAMED);
        if (unnamed == null) {
            return shapes;
        }
        if (inputNames.size() != 1) {
            throw new ModelLoadException(label + ": " + OPTION + " " + dims(unnamed) + " names no input, but the model has "
                    + inputNames.size() + " inputs (" + String.join(", ", inputNames) + "); write NAME=" + dims(unnamed));
        }
        String only = inputNames.get(0);
        if (shapes.containsKey(only)) {
            throw new ModelLoadException(label + ": " + OPTION + " gives input '" + only + "' two shapes, one without its name");
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        shapes.forEach((k, v) -> out.put(k.equals(UNNAMED) ? only : k, v));
        return out;
    }

    /** A shape as the model declares it: {@code 1x3xHxW}, a dynamic dimension by its name or {@code ?}. */
    static String describe(TensorShapeProto s) {
        return s.getDimList().stream().map(d -> d.hasDimValue() && d.getDimValue() > 0 ? Long.toString(d.getDimValue())
                : d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : "?").collect(Collectors.joining("x"));
    }

    /** An example value for the option: fixed dimensions kept, the batch 1, other open ones 640. */
    private static String example(TensorShapeProto s) {
        StringBuilder b = new StringBuilder();
        for (int d = 0; d < s.getDimCount(); d++) {
            var dim = s.getDim(d);
            b.append(d == 0 ? "" : ",").append(dim.hasDimValue() && dim.getDimValue() > 0 ? dim.getDimValue() : d == 0 ? 1 : 640);
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InputShapes other) || other.shapes.size() != shapes.size()) {
            return false;
        }
        return shapes.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), other.shapes.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return shapes.keySet().hashCode();
    }

    @Override
    public String toString() {
        return String.join(" ", format());
    }
}
