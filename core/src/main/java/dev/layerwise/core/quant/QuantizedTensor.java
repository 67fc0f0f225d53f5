package dev.layerwise.core.quant;

/**
 * A constant tensor (weight or bias) in quantized form. Arrays are owned; do not modify. Immutable.
 *
 * @param name initializer name in the float model
 * @param params how it was quantized (bias: int32 at {@code s_in * s_w}, recorded with type of the layer)
 * @param storage ONNX element type of {@code q}: uint8, int8, int16 or int32
 * @param shape dimensions
 * @param q quantized values
 * @param channels per-channel parameters along {@code axis} ({@code method: channel}), or {@code null} per tensor
 * @param axis the channel axis when {@code channels} is set, else -1
 */
public record QuantizedTensor(String name, QuantParams params, dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType storage,
        long[] shape, int[] q, QuantParams[] channels, int axis) {

    /** A per-tensor quantized constant. */
    public QuantizedTensor(String name, QuantParams params, dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType storage,
            long[] shape, int[] q) {
        this(name, params, storage, shape, q, null, -1);
    }

    /**
     * {@code (q - zp) * scale} in float32 (per channel along {@code axis} when per-channel; the
     * half's value for float16), what the fake-quantized model computes with. Computed on each
     * call rather than kept: a float copy of every cached weight was as large as the model's
     * weights themselves (47 MB on a ResNet18), for tests and exports that rarely ask.
     */
    public float[] dequantized() {
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
