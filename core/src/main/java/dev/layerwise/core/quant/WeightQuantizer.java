package dev.layerwise.core.quant;

import dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType;
import dev.layerwise.core.tensor.FloatTensor;
import dev.layerwise.core.tensor.Half;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Quantizes weights (per tensor, {@code method: layer}) and biases (int32 at {@code s_in * s_w}).
 * Results are cached by name, type and scale, so a hybrid rebuild that changes one layer only
 * quantizes that layer again; the float values are asked for ({@link Supplier#get}) only when a
 * result is not cached yet, so nobody needs to keep a float copy of every weight. Thread-safe.
 */
public final class WeightQuantizer {

    private final Map<String, QuantizedTensor> cache = new ConcurrentHashMap<>();

    /** Quantizes a weight tensor of a layer of type {@code type} (not float32). */
    public QuantizedTensor weight(String name, Supplier<FloatTensor> w, QuantType type) {
        return cache.computeIfAbsent("w|" + name + "|" + type, k -> quantizeWeight(name, w.get(), type));
    }

    /**
     * Quantizes a weight tensor per output channel ({@code method: channel}, RKNN-Toolkit2's
     * default): each slice along {@code axis} gets its own range.
     */
    public QuantizedTensor weightPerChannel(String name, Supplier<FloatTensor> w, QuantType type, int axis) {
        return cache.computeIfAbsent("wc|" + name + "|" + type + "|" + axis, k -> quantizePerChannel(name, w.get(), type, axis));
    }

    /** Bias of a per-channel weight: channel c at {@code inputScale * weightScale[c]}. */
    public QuantizedTensor biasPerChannel(String name, Supplier<FloatTensor> bias, QuantType layerType, float inputScale, QuantParams[] weight) {
        StringBuilder key = new StringBuilder("bc|" + name + "|" + layerType + "|" + Float.floatToIntBits(inputScale));
        for (QuantParams p : weight) {
            key.append(',').append(Float.floatToIntBits(p.scale()));
        }
        return cache.computeIfAbsent(key.toString(), k -> {
            FloatTensor b = bias.get();
            float[] data = b.data();
            int[] q = new int[data.length];
            QuantParams[] ch = new QuantParams[data.length];
            // a grouped ConvTranspose has Cout/group weight slices on its channel axis but Cout
            // biases: bias c follows slice c % slices
            for (int c = 0; c < data.length; c++) {
                float scale = inputScale * weight[c % weight.length].scale();
                double r = Math.rint(data[c] / scale);
                q[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, r));
                ch[c] = new QuantParams(layerType, scale, 0, 0, data[c], data[c]);
            }
            float[] mm = b.minMax();
            QuantParams summary = new QuantParams(layerType, ch.length == 0 ? 1f : ch[0].scale(), 0, 0, mm[0], mm[1]);
            return new QuantizedTensor(name, summary, DataType.INT32, b.shape(), q, ch, 0);
        });
    }

    static QuantizedTensor quantizePerChannel(String name, FloatTensor w, QuantType type, int axis) {
        long[] shape = w.shape();
        int channels = (int) shape[axis];
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= (int) shape[d];
        }
        int outer = w.size() / (channels * inner);
        float[] data = w.data();
        float[] lo = new float[channels];
        float[] hi = new float[channels];
        java.util.Arrays.fill(lo, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                int base = (o * channels + c) * inner;
                for (int i = 0; i < inner; i++) {
                    float v = data[base + i];
                    lo[c] = Math.min(lo[c], v);
                    hi[c] = Math.max(hi[c], v);
                }
            }
        }
        QuantParams[] ch = new QuantParams[channels];
        for (int c = 0; c < channels; c++) {
            ch[c] = QuantParams.forRange(type, lo[c], hi[c]);
        }
        int[] q = new int[data.length];
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                QuantParams p = ch[c];
                int base = (o * channels + c) * inner;
                for (int i = 0; i < inner; i++) {
                    q[base + i] = QuantMath.quantize(data[base + i], p.scale(), p.zeroPoint(), p.qmin(), p.qmax());
                }
            }
        }
        float[] mm = w.minMax();
        QuantParams summary = QuantParams.forRange(type, mm[0], mm[1]);
        return new QuantizedTensor(name, summary, storage(type), shape, q, ch, axis);
    }

    private static DataType storage(QuantType type) {
        return switch (type) {
            case ASYMMETRIC_AFFINE_U8 -> DataType.UINT8;
            case DYNAMIC_FIXED_POINT_I8 -> DataType.INT8;
            case DYNAMIC_FIXED_POINT_I16 -> DataType.INT16;
            case FLOAT16, FLOAT32 -> throw new IllegalArgumentException(type + " weights are not integer-quantized");
        };
    }

    /** Quantizes a weight tensor with given (hand-set) parameters. */
    public QuantizedTensor weight(String name, Supplier<FloatTensor> w, QuantParams p) {
        return cache.computeIfAbsent("w|" + name + "|" + p, k -> quantizeWeight(name, w.get(), p));
    }

    /** Quantizes a bias to int32 with scale {@code inputScale * weightScale} and zero point 0. */
    public QuantizedTensor bias(String name, Supplier<FloatTensor> b, QuantType layerType, float inputScale, float weightScale) {
        float scale = inputScale * weightScale;
        return cache.computeIfAbsent("b|" + name + "|" + layerType + "|" + Float.floatToIntBits(scale),
                k -> quantizeBias(name, b.get(), layerType, scale));
    }

    static QuantizedTensor quantizeWeight(String name, FloatTensor w, QuantType type) {
        float[] mm = w.minMax();
        return quantizeWeight(name, w, QuantParams.forRange(type, mm[0], mm[1]));
    }

    static QuantizedTensor quantizeWeight(String name, FloatTensor w, QuantParams p) {
        QuantType type = p.type();
        float[] data = w.data();
        int[] q = new int[data.length];
        int qmin = p.qmin();
        int qmax = p.qmax();
        for (int i = 0; i < data.length; i++) {
            q[i] = QuantMath.quantize(data[i], p.scale(), p.zeroPoint(), qmin, qmax);
        }
        return new QuantizedTensor(name, p, storage(type), w.shape(), q);
    }

    static QuantizedTensor quantizeBias(String name, FloatTensor b, QuantType layerType, float scale) {
        float[] data = b.data();
        int[] q = new int[data.length];
        float[] mm = b.minMax();
        for (int i = 0; i < data.length; i++) {
            double r = Math.rint(data[i] / scale);
            q[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, r));
        }
        int fl = layerType.isDynamicFixedPoint() ? -Math.getExponent(scale) : 0;
        QuantParams p = new QuantParams(layerType, scale, 0, fl, mm[0], mm[1]);
        return new QuantizedTensor(name, p, DataType.INT32, b.shape(), q);
    }

    /**
     * A weight or bias of a float16 layer: every value rounded to half precision. {@code q} holds
     * the half bits (storage float16).
     */
    public QuantizedTensor half(String name, Supplier<FloatTensor> tensor) {
        return cache.computeIfAbsent("h|" + name, k -> {
            FloatTensor t = tensor.get();
            float[] data = t.data();
            int[] bits = new int[data.length];
            for (int i = 0; i < data.length; i++) {
                short h = Half.toBits(data[i]);
                bits[i] = h & 0xffff;
            }
            return new QuantizedTensor(name, QuantParams.HALF, DataType.FLOAT16, t.shape(), bits);
        });
    }

    /** Drops cached results, e.g. when another model is loaded. */
    public void clear() {
        cache.clear();
    }
}
