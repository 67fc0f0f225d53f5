package dev.layerwise.core.onnx;

/**
 * The names Layerwise gives the tensors and nodes it adds when it edits a graph: the quantized
 * copies inside the analysis and comparison graphs, fake-quantization steps, float16 rounding.
 * One place, like ONNX Runtime's {@code quant_utils}; a new edit takes its suffix from here so two
 * edits never pick the same one by accident. The values are part of the exported models' tensor
 * names: changing one changes the files.
 */
public final class GraphEdits {

    /** Joins a tensor name and a tag. */
    public static final String SEPARATOR = "__";

    // ---- analysis graph (Analyzer): the quantized network beside the float one

    /** The quantized model's copy of a tensor (entire analysis). */
    public static final String ENTIRE = "__q";
    /** A layer's output quantized in isolation, fed float inputs (individual analysis). */
    public static final String INDIVIDUAL = "__ind";

    // ---- comparison graph (Comparer): float and normal in one graph (a hybrid runs alone)

    /** The normal model's copy of a tensor. */
    public static final String COMPARE_NORMAL = "__n";

    // ---- calibration graph (Calibrator): per-tensor statistics, prefix + the tensor

    /** A tensor's smallest value (ReduceMin). */
    public static final String STAT_MIN = "lw.min/";
    /** A tensor's largest value (ReduceMax). */
    public static final String STAT_MAX = "lw.max/";
    /** A tensor's sum (ReduceSum), finite only when every value is. */
    public static final String STAT_SUM = "lw.sum/";
    /** A tensor flattened (Reshape to one dimension) so that its reductions read it where it is. */
    public static final String STAT_FLAT = "lw.flat/";
    /** The shape {@code [-1]} the flattening Reshapes take. */
    public static final String STAT_FLAT_SHAPE = "lw.flat_shape";

    // ---- fake quantization (QuantGraphBuilder)

    /** A fake-quantized activation: QuantizeLinear then DequantizeLinear. */
    public static final String FAKE_QUANT = "__fq";
    /** A layer's output before its fake quantization. */
    public static final String RAW = "__raw";
    /** The integer tensor between QuantizeLinear and DequantizeLinear. */
    public static final String INTEGER = "__int";
    /** A value clamped to dynamic fixed point's symmetric low end before QuantizeLinear. */
    public static final String CLIPPED = "__clip";
    /** A quantized constant's dequantized float value. */
    public static final String DEQUANTIZED = "__dq";

    // ---- float16 layers

    /** The float16 tensor between the two Casts that round a value to half precision. */
    public static final String HALF = "__f16";
    /** An activation input rounded to half precision for a float16 layer. */
    public static final String HALF_INPUT = "__f16in";
    /** A float16 constant. */
    public static final String HALF_CONSTANT = "__const";
    /** A float16 constant cast back to float32. */
    public static final String BACK_TO_FLOAT = "__f32";

    // ---- node names of added nodes: prefix + the tensor they write

    public static final String NODE_QUANTIZE = "lw.Q/";
    public static final String NODE_DEQUANTIZE = "lw.DQ/";
    public static final String NODE_CLIP = "lw.clip/";
    public static final String NODE_TO_HALF = "lw.f16/";
    public static final String NODE_TO_FLOAT = "lw.f32/";
    /** Prefix of the nodes of a depthwise convolution written for ONNX Runtime's float kernel. */
    public static final String NODE_INTEGER_DEPTHWISE = "lw.dw/";
    /** Prefix of shared quantization parameter initializers. */
    public static final String QUANT_PARAMS = "lw.qp/";
    /** A quantization step's scale initializer: prefix or tensor + this. */
    public static final String SCALE = "/scale";
    /** A quantization step's zero point initializer. */
    public static final String ZERO_POINT = "/zero_point";
    /** Dynamic fixed point's low end, for the clamp before QuantizeLinear. */
    public static final String LOW = "/low";

    private GraphEdits() {
    }
}
