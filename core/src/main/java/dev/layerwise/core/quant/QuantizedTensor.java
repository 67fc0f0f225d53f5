package dev.layerwise.core.quant;

/**
 * A constant tensor (weight or bias) in quantized form. Arrays are owned; do not modify. Immutable.
 *
 * @param name initializer name in the float model
 * @param params how it was quantized (bias: int32 at {@code s_in * s_w}, recorded with type of the layer)
 * @param storage ONNX element type of {@code q}: uint8, int8, int16 or int32
 * @param shape dimensions
 * @param q quantized values
 * @param dequantized {@code (q - zp) * scale} in float32, what the fake-quantized model computes with
 * @param channels per-channel parameters along {@code axis} ({@code method: channel}), or {@code null} per tensor
 * @param axis the channel axis when {@code channels} is set, else -1
 */
public record QuantizedTensor(String name, QuantParams params, dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType storage,
        long[] shape, int[] q, float[] dequantized, QuantParams[] channels, int axis) {

    /** A per-tensor quantized constant. */
    public QuantizedTensor(String name, QuantParams params, dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType storage,
            long[] shape, int[] q, float[] dequantized) {
        this(name, params, storage, shape, q, dequantized, null, -1);
    }

    public boolean perChannel() {
        return channels != null;
    }
}
