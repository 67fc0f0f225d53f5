package dev.layerwise.core.onnx;

import com.google.protobuf.ByteString;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType;
import dev.layerwise.core.tensor.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Conversions between ONNX {@link TensorProto}s and Java arrays. Stateless. */
public final class Tensors {

    private Tensors() {
    }

    /** Reads a float32 initializer; other element types are refused. */
    public static FloatTensor toFloat(TensorProto t) {
        if (t.getDataType() != DataType.FLOAT_VALUE) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' is " + typeName(t.getDataType()) + ", not float32");
        }
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        float[] data;
        if (t.hasRawData()) {
            ByteBuffer bb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            data = new float[bb.remaining() / 4];
            bb.asFloatBuffer().get(data);
        } else {
            data = new float[t.getFloatDataCount()];
            for (int i = 0; i < data.length; i++) {
                data[i] = t.getFloatData(i);
            }
        }
        return new FloatTensor(shape, data);
    }

    /** Reads an int64 tensor (e.g. a Reshape shape or Slice bounds). */
    public static long[] toLongs(TensorProto t) {
        if (t.getDataType() != DataType.INT64_VALUE) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' is " + typeName(t.getDataType()) + ", not int64");
        }
        if (t.hasRawData()) {
            ByteBuffer bb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long[] out = new long[bb.remaining() / 8];
            bb.asLongBuffer().get(out);
            return out;
        }
        return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
    }

    public static TensorProto floats(String name, long[] shape, float[] data) {
        ByteBuffer bb = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(data);
        return raw(name, DataType.FLOAT, shape, bb.array());
    }

    public static TensorProto floats(String name, FloatTensor t) {
        return floats(name, t.shape(), t.data());
    }

    public static TensorProto scalar(String name, float v) {
        return floats(name, new long[0], new float[] {v});
    }

    public static TensorProto longs(String name, long[] shape, long[] data) {
        ByteBuffer bb = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.asLongBuffer().put(data);
        return raw(name, DataType.INT64, shape, bb.array());
    }

    /** Quantized values as uint8 / int8 / int16 / int32 according to {@code type}. */
    public static TensorProto ints(String name, DataType type, long[] shape, int[] q) {
        if (type == DataType.FLOAT16) {
            throw new IllegalArgumentException("not an integer quantization type: " + type);
        }
        return raw(name, type, shape, encode(type, q));
    }

    /**
     * Integer values as an initializer's raw data in {@code type}: uint8 / int8 one byte each,
     * int16 and float16 (half bits) two, int32 four, little-endian.
     */
    public static ByteString encode(DataType type, int[] q) {
        ByteBuffer bb;
        switch (type) {
            case UINT8, INT8 -> {
                bb = ByteBuffer.allocate(q.length);
                for (int v : q) {
                    bb.put((byte) v);
                }
            }
            case INT16, FLOAT16 -> {
                bb = ByteBuffer.allocate(q.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (int v : q) {
                    bb.putShort((short) v);
                }
            }
            case INT32 -> {
                bb = ByteBuffer.allocate(q.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bb.asIntBuffer().put(q);
            }
            default -> throw new IllegalArgumentException("not an integer quantization type: " + type);
        }
        return ByteString.copyFrom(bb.array());
    }

    /** The values {@link #encode} wrote: uint8 and float16 bits unsigned, the others signed. */
    public static int[] decode(DataType type, ByteString raw) {
        ByteBuffer bb = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int[] q;
        switch (type) {
            case UINT8 -> {
                q = new int[bb.remaining()];
                for (int i = 0; i < q.length; i++) {
                    q[i] = bb.get() & 0xff;
                }
            }
            case INT8 -> {
                q = new int[bb.remaining()];
                for (int i = 0; i < q.length; i++) {
                    q[i] = bb.get();
                }
            }
            case INT16 -> {
                q = new int[bb.remaining() / 2];
                for (int i = 0; i < q.length; i++) {
                    q[i] = bb.getShort();
                }
            }
            case FLOAT16 -> {
                q = new int[bb.remaining() / 2];
                for (int i = 0; i < q.length; i++) {
                    q[i] = bb.getShort() & 0xffff;
                }
            }
            case INT32 -> {
                q = new int[bb.remaining() / 4];
                bb.asIntBuffer().get(q);
            }
            default -> throw new IllegalArgumentException("not an integer quantization type: " + type);
        }
        return q;
    }

    /** A float16 tensor from half bits (the low 16 bits of each {@code bits} element). */
    public static TensorProto halves(String name, long[] shape, int[] bits) {
        return raw(name, DataType.FLOAT16, shape, encode(DataType.FLOAT16, bits));
    }

    private static TensorProto raw(String name, DataType type, long[] shape, byte[] bytes) {
        return raw(name, type, shape, ByteString.copyFrom(bytes));
    }

    /** An initializer holding {@code bytes} as its raw data (shared, not copied). */
    public static TensorProto raw(String name, DataType type, long[] shape, ByteString bytes) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(bytes);
        for (long d : shape) {
            b.addDims(d);
        }
        return b.build();
    }

    public static String typeName(int dataType) {
        DataType dt = DataType.forNumber(dataType);
        return dt == null ? "type " + dataType : dt.name().toLowerCase(java.util.Locale.ROOT);
    }
}
