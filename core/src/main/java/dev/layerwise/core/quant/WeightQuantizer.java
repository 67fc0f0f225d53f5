package dev.layerwise.core.quant;

import dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Quantizes weights (per tensor, {@code method: layer}) and biases (int32 at {@code s_in * s_w}).
 * Results are cached by name, type and scale, so a hybrid rebuild that changes one layer only
 * quantizes that layer again. Thread-safe.
 */
public final class WeightQuantizer {

    private final Map<String, QuantizedTensor> cache = new ConcurrentHashMap<>();

    /** Quantizes a weight tensor of a layer of type {@code type} (not float32). */
    public QuantizedTensor weight(String name, FloatTensor w, QuantType type) {
        return cache.computeIfAbsent("w|" + name + "|" + type, k -> quantizeWeight(name, w, type));
    }

    /** Quantizes a weight tensor with given (hand-set) parameters. */
    public QuantizedTensor weight(String name, FloatTensor w, QuantParams p) {
        return cache.computeIfAbsent("w|" + name + "|" + p, k -> quantizeWeight(name, w, p));
    }

    /** Quantizes a bias to int32 with scale {@code inputScale * weightScale} and zero point 0. */
    public QuantizedTensor bias(String name, FloatTensor b, QuantType layerType, float inputScale, float weightScale) {
        float scale = inputScale * weightScale;
        return cache.computeIfAbsent("b|" + name + "|" + layerType + "|" + Float.floatToIntBits(scale),
                k -> quantizeBias(name, b, layerType, scale));
    }

    static QuantizedTensor quantizeWeight(String name, FloatTensor w, QuantType type) {
        float[] mm = w.minMax();
        return quantizeWeight(name, w, QuantParams.forRange(type, mm[0], mm[1]));
    }

    static QuantizedTensor quantizeWeight(String name, FloatTensor w, QuantParams p) {
        QuantType type = p.type();
        float[] data = w.data();
        int[] q = new int[data.length];
        float[] dq = new float[data.length];
        int qmin = p.qmin();
        int qmax = p.qmax();
        for (int i = 0; i < data.length; i++) {
            q[i] = QuantMath.quantize(data[i], p.scale(), p.zeroPoint(), qmin, qmax);
            dq[i] = (q[i] - p.zeroPoint()) * p.scale();
        }
        DataType storage = switch (type) {
            case ASYMMETRIC_AFFINE_U8 -> DataType.UINT8;
            case DYNAMIC_FIXED_POINT_I8 -> DataType.INT8;
            case DYNAMIC_FIXED_POINT_I16 -> DataType.INT16;
            case FLOAT32 -> throw new IllegalArgumentException("float32 weights are not quantized");
        };
        return new QuantizedTensor(name, p, storage, w.shape(), q, dq);
    }

    static QuantizedTensor quantizeBias(String name, FloatTensor b, QuantType layerType, float scale) {
        float[] data = b.data();
        int[] q = new int[data.length];
        float[] dq = new float[data.length];
        float[] mm = b.minMax();
        for (int i = 0; i < data.length; i++) {
            double r = Math.rint(data[i] / scale);
            q[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, r));
            dq[i] = q[i] * scale;
        }
        int fl = layerType.isDynamicFixedPoint() ? -Math.getExponent(scale) : 0;
        QuantParams p = new QuantParams(layerType, scale, 0, fl, mm[0], mm[1]);
        return new QuantizedTensor(name, p, DataType.INT32, b.shape(), q, dq);
    }

    /** Drops cached results, e.g. when another model is loaded. */
    public void clear() {
        cache.clear();
    }
}
