package dev.layerwise.core.quant;

/**
 * A constant tensor (weight or bias) in quantized form. Arrays are owned; do not modify. Immutable.
 *
 * <p>The values are kept as the initializer's raw bytes ({@code data}, ONNX little-endian in
 * {@code storage}): one byte per 8-bit value instead of an {@code int}, and every graph built
 * from the plan shares these bytes instead of encoding its own copy (on a ResNet18, 12 MB where
 * an {@code int[]} took 47 MB, and no 12 MB copy per analysis, export or comparison graph).
 *
 * @param name initializer name in the float model
 * @param params how it was quantized (bias: int32 at {@code s_in * s_w}, recorded with type of the layer)
 * @param storage ONNX element type of the values: uint8, int8, int16, int32, or float16 (half bits)
 * @param shape dimensions
 * @param data the values as an initializer's raw data in {@code storage}
 * @param channels per-channel parameters along {@code axis} ({@code method: channel}), or {@code null} per tensor
 * @param axis the channel axis when {@code channels} is set, else -1
 * @param valuesHash {@code Arrays.hashCode(q())}, made once with the bytes: a graph build tells two
 *     biases of one name apart by it (per-channel biases at other weight scales) without decoding them
 */
public record QuantizedTensor(String name, QuantParams params, dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType storage,
        long[] shape, com.google.protobuf.ByteString data, QuantParams[] channels, int axis, int valuesHash) {

    /** A quantized constant from its values ({@code q}: integers, or half bits for float16). */
    public QuantizedTensor(String name, QuantParams params, dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType storage,
            long[] shape, int[] q, QuantParams[] channels, int axis) {
        this(name, params, storage, shape, dev.layerwise.core.onnx.Tensors.Encoder.of(storage, q), channels, axis);
    }

    /** A quantized constant from the values {@code values} holds in {@code storage}. */
    QuantizedTensor(String name, QuantParams params, dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType storage,
            long[] shape, dev.layerwise.core.onnx.Tensors.Encoder values, QuantParams[] channels, int axis) {
        this(name, params, storage, shape, values.bytes(), channels, axis, values.valuesHash());
    }

    /** A per-tensor quantized constant. */
    public QuantizedTensor(String name, QuantParams params, dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType storage,
            long[] shape, int[] q) {
        this(name, params, storage, shape, q, null, -1);
    }

    /** The quantized values (half bits, 0..65535, for float16), decoded from {@link #data} on each call. */
    public int[] q() {
        return dev.layerwise.core.onnx.Tensors.decode(storage, data);
    }

    /**
     * {@code (q - zp) * scale} in float32 (per channel along {@code axis} when per-channel; the
     * half's value for float16), what the fake-quantized model computes with. Computed on each
     * call rather than kept: a float copy of every cached weight was as large as the model's
     * weights themselves (47 MB on a ResNet18), for tests and exports that rarely ask.
     */
    public float[] dequantized() {
        int[] q = q();
        float[] dq = new float[q.length];
        if (storage == dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.FLOAT16) {
            for (int i = 0; i < q.length; i++) {
                dq[i] = dev.layerwise.core.tensor.Half.fromBits((short) q[i]);
            }
        } else if (channels == null) {
            for (int i = 0; i < q.length; i++) {
                dq[i] = (q[i] - params.zeroPoint()) * params.scale();
            }
        } else {
            int inner = 1;
            for (int d = axis + 1; d < shape.length; d++) {
                inner *= (int) shape[d];
            }
            for (int i = 0; i < q.length; i++) {
                QuantParams p = channels[(i / inner) % channels.length];
                dq[i] = (q[i] - p.zeroPoint()) * p.scale();
            }
        }
        return dq;
    }

    public boolean perChannel() {
        return channels != null;
    }
}
