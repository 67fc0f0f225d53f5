package dev.layerwise.core.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
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
        return Encoder.of(type, q).bytes();
    }

    /** Bytes per value of an integer quantization type (float16 counts as its half bits). */
    private static int width(DataType type) {
        return switch (type) {
            case UINT8, INT8 -> 1;
            case INT16, FLOAT16 -> 2;
            case INT32 -> 4;
            default -> throw new IllegalArgumentException("not an integer quantization type: " + type);
        };
    }

    /**
     * Writes integer values one at a time as an initializer's raw data in the layout of
     * {@link #encode}, so a caller that computes values from a buffer needs no {@code int[]} of
     * them first. Holds exactly {@code count} values; not thread-safe.
     */
    public static final class Encoder {
        private final DataType type;
        private final ByteBuffer out;
        private int hash = 1;

        /** All of {@code q}, written. */
        public static Encoder of(DataType type, int[] q) {
            Encoder out = new Encoder(type, q.length);
            for (int v : q) {
                out.put(v);
            }
            return out;
        }

        /** Room for {@code count} values of {@code type} (uint8, int8, int16, int32 or float16 bits). */
        public Encoder(DataType type, int count) {
            this.type = type;
            this.out = ByteBuffer.allocate(count * width(type)).order(ByteOrder.LITTLE_ENDIAN);
        }

        /** Appends one value, truncated to the type's width (uint8 and half bits as their low bits). */
        public void put(int v) {
            int kept = switch (type) {
                case UINT8 -> v & 0xff;
                case INT8 -> (byte) v;
                case INT16 -> (short) v;
                case FLOAT16 -> v & 0xffff;
                default -> v;
            };
            switch (type) {
                case UINT8, INT8 -> out.put((byte) v);
                case INT16, FLOAT16 -> out.putShort((short) v);
                default -> out.putInt(v);
            }
            hash = 31 * hash + kept;
        }

        /**
         * {@code Arrays.hashCode} of the values written, as {@link #decode} reads them back; made
         * while writing, so that telling two tensors apart needs no decoding.
         */
        public int valuesHash() {
            return hash;
        }

        /** The bytes written; the buffer is not touched again, so protobuf may share it. */
        public ByteString bytes() {
            return UnsafeByteOperations.unsafeWrap(out.array());
        }
    }

    /** The values {@link #encode} wrote: uint8 and float16 bits unsigned, the others signed. */
    public static int[] decode(DataType type, ByteString raw) {
        ByteBuffer bb = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int[] q = new int[bb.remaining() / width(type)];
        switch (type) {
            case UINT8 -> {
                for (int i = 0; i < q.length; i++) {
                    q[i] = bb.get() & 0xff;
                }
            }
            case INT8 -> {
                for (int i = 0; i < q.length; i++) {
                    q[i] = bb.get();
                }
            }
            case INT16 -> {
                for (int i = 0; i < q.length; i++) {
                    q[i] = bb.getShort();
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < q.length; i++) {
                    q[i] = bb.getShort() & 0xffff;
                }
            }
            default -> bb.asIntBuffer().get(q);
        }
        return q;
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
