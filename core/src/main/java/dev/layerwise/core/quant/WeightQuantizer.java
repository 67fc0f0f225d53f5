package dev.layerwise.core.quant;

import dev.layerwise.core.onnx.Tensors.Encoder;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType;
import dev.layerwise.core.tensor.FloatTensor;
import dev.layerwise.core.tensor.Half;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Quantizes weights (per tensor, {@code method: layer}) and biases (int32 at {@code s_in * s_w}).
 * Results are cached by name, type and scale, so a hybrid rebuild that changes one layer only
 * quantizes that layer again. A constant's values are read ({@link Supplier#get}) only when a
 * result is not cached yet, from a buffer (a view of the model's own bytes, see
 * {@link dev.layerwise.core.onnx.LayerGraph#initializerValues}), and the quantized values are
 * written straight into the initializer bytes: no float or int copy of every weight is made (on a
 * ResNet18 those were 94 MB of garbage per plan). Thread-safe.
 */
public final class WeightQuantizer {

    private final Map<String, QuantizedTensor> cache = new ConcurrentHashMap<>();

    /** A float constant: its dimensions and, when asked, its values (absolute reads only). */
    public record Constant(long[] shape, Supplier<FloatBuffer> values) {

        /** A constant held in a tensor (tests, hand-made constants). */
        public static Constant of(FloatTensor t) {
            return new Constant(t.shape(), () -> FloatBuffer.wrap(t.data()));
        }
    }

    /** Quantizes a weight tensor of a layer of type {@code type} (not float32). */
    public QuantizedTensor weight(String name, Constant w, QuantType type) {
        return cache.computeIfAbsent("w|" + name + "|" + type, k -> quantizeWeight(name, w, type));
    }

    /**
     * Quantizes a weight tensor per output channel ({@code method: channel}, RKNN-Toolkit2's
     * default): each slice along {@code axis} gets its own range.
     */
    public QuantizedTensor weightPerChannel(String name, Constant w, QuantType type, int axis) {
        return cache.computeIfAbsent("wc|" + name + "|" + type + "|" + axis, k -> quantizePerChannel(name, w, type, axis));
    }

    /** Bias of a per-channel weight: channel c at {@code inputScale * weightScale[c]}. */
    public QuantizedTensor biasPerChannel(String name, Constant b, QuantType layerType, float inputScale, QuantParams[] weight) {
        StringBuilder key = new StringBuilder("bc|" + name + "|" + layerType + "|" + Float.floatToIntBits(inputScale));
        for (QuantParams p : weight) {
            key.append(',').append(Float.floatToIntBits(p.scale()));
        }
        return cache.computeIfAbsent(key.toString(), k -> {
            FloatBuffer data = b.values().get();
            int n = data.capacity();
            Encoder q = new Encoder(DataType.INT32, n);
            QuantParams[] ch = new QuantParams[n];
            // a grouped ConvTranspose has Cout/group weight slices on its channel axis but Cout
            // biases: bias c follows slice c % slices
            for (int c = 0; c < n; c++) {
                float v = data.get(c);
                float scale = inputScale * weight[c % weight.length].scale();
                double r = Math.rint(v / scale);
                q.put((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, r)));
                ch[c] = new QuantParams(layerType, scale, 0, 0, v, v);
            }
            float[] mm = FloatTensor.minMax(data);
            QuantParams summary = new QuantParams(layerType, ch.length == 0 ? 1f : ch[0].scale(), 0, 0, mm[0], mm[1]);
            return new QuantizedTensor(name, summary, DataType.INT32, b.shape(), q, ch, 0);
        });
    }

    static QuantizedTensor quantizePerChannel(String name, Constant w, QuantType type, int axis) {
        long[] shape = w.shape();
        int channels = (int) shape[axis];
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= (int) shape[d];
        }
        FloatBuffer data = w.values().get();
        int outer = data.capacity() / (channels * inner);
        // each slice read in chunks handed to small methods, for the JIT's sake (FloatTensor.CHUNK)
        float[] chunk = new float[FloatTensor.CHUNK];
        float[][] ranges = new float[channels][];
        for (int c = 0; c < channels; c++) {
            ranges[c] = new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        }
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                int base = (o * channels + c) * inner;
                for (int from = 0; from < inner; from += chunk.length) {
                    int len = Math.min(chunk.length, inner - from);
                    data.get(base + from, chunk, 0, len);
                    FloatTensor.spread(chunk, 0, len, ranges[c]);
                }
            }
        }
        QuantParams[] ch = new QuantParams[channels];
        for (int c = 0; c < channels; c++) {
            ch[c] = QuantParams.forRange(type, ranges[c][0], ranges[c][1]);
        }
        Encoder q = new Encoder(storage(type), data.capacity());
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                quantizeSlice(data, (o * channels + c) * inner, inner, chunk, ch[c], q);
            }
        }
        float[] mm = FloatTensor.minMax(data);
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
    public QuantizedTensor weight(String name, Constant w, QuantParams p) {
        return cache.computeIfAbsent("w|" + name + "|" + p, k -> quantizeWeight(name, w, p));
    }

    /** Quantizes a bias to int32 with scale {@code inputScale * weightScale} and zero point 0. */
    public QuantizedTensor bias(String name, Constant b, QuantType layerType, float inputScale, float weightScale) {
        float scale = inputScale * weightScale;
        return cache.computeIfAbsent("b|" + name + "|" + layerType + "|" + Float.floatToIntBits(scale),
                k -> quantizeBias(name, b, layerType, scale));
    }

    static QuantizedTensor quantizeWeight(String name, Constant w, QuantType type) {
        float[] mm = FloatTensor.minMax(w.values().get());
        return quantizeWeight(name, w, QuantParams.forRange(type, mm[0], mm[1]));
    }

    static QuantizedTensor quantizeWeight(String name, Constant w, QuantParams p) {
        QuantType type = p.type();
        FloatBuffer data = w.values().get();
        int n = data.capacity();
        Encoder q = new Encoder(storage(type), n);
        quantizeSlice(data, 0, n, new float[FloatTensor.CHUNK], p, q);
        return new QuantizedTensor(name, p, storage(type), w.shape(), q, null, -1);
    }

    /**
     * Quantizes {@code data[base, base + length)} with {@code p} into {@code q}, read through
     * {@code chunk} a chunk at a time and each chunk handed to a small method, for the JIT's sake
     * ({@link FloatTensor#CHUNK}).
     */
    private static void quantizeSlice(FloatBuffer data, int base, int length, float[] chunk, QuantParams p, Encoder q) {
        for (int from = 0; from < length; from += chunk.length) {
            int len = Math.min(chunk.length, length - from);
            data.get(base + from, chunk, 0, len);
            quantizeInto(chunk, len, p.scale(), p.zeroPoint(), p.qmin(), p.qmax(), q);
        }
    }

    private static void quantizeInto(float[] values, int len, float scale, int zeroPoint, int qmin, int qmax, Encoder q) {
        for (int i = 0; i < len; i++) {
            q.put(QuantMath.quantize(values[i], scale, zeroPoint, qmin, qmax));
        }
    }

    static QuantizedTensor quantizeBias(String name, Constant b, QuantType layerType, float scale) {
        FloatBuffer data = b.values().get();
        int n = data.capacity();
        Encoder q = new Encoder(DataType.INT32, n);
        float[] mm = FloatTensor.minMax(data);
        for (int i = 0; i < n; i++) {
            double r = Math.rint(data.get(i) / scale);
            q.put((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, r)));
        }
        int fl = layerType.isDynamicFixedPoint() ? -Math.getExponent(scale) : 0;
        QuantParams p = new QuantParams(layerType, scale, 0, fl, mm[0], mm[1]);
        return new QuantizedTensor(name, p, DataType.INT32, b.shape(), q, null, -1);
    }

    /**
     * A weight or bias of a float16 layer: every value rounded to half precision, kept as half
     * bits (storage float16).
     */
    public QuantizedTensor half(String name, Constant t) {
        return cache.computeIfAbsent("h|" + name, k -> {
            FloatBuffer data = t.values().get();
            int n = data.capacity();
            Encoder bits = new Encoder(DataType.FLOAT16, n);
            for (int i = 0; i < n; i++) {
                bits.put(Half.toBits(data.get(i)) & 0xffff);
            }
            return new QuantizedTensor(name, QuantParams.HALF, DataType.FLOAT16, t.shape(), bits, null, -1);
        });
    }

    /** Drops cached results, e.g. when another model is loaded. */
    public void clear() {
        cache.clear();
    }
}
