package dev.layerwise.core.tensor;

import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.io.InputFileException;
import dev.layerwise.core.io.InputFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1 to 3, C order). Reading accepts
 * float32, float64, uint8, int8, int16, int32 and int64 in either byte order and converts to
 * float32; writing always produces little-endian float32.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** What a {@code .npy} file held before conversion: element type and the values as float. */
    public record Array(String dtype, FloatTensor tensor) {
        /** True for 8-bit unsigned data, the usual type of an image saved as an array. */
        public boolean isUint8() {
            return dtype.equals("u1");
        }
    }

    private Npy() {
    }

    public static FloatTensor read(Path file) throws IOException {
        return readArray(file).tensor();
    }

    public static Array readArray(Path file) throws IOException {
        byte[] all = InputFiles.readAllBytes(file, ".npy file", InputFiles.ARRAY_LIMIT);
        try {
            return parse(all);
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
            throw new InputFileException(file, "not a readable .npy file: " + e.getMessage(), e);
        }
    }

    /**
     * The tensor held by {@code .npy} bytes, e.g. a file pulled from a board, without a file on
     * the host; the inverse of {@link #encode}.
     *
     * @throws IllegalArgumentException naming what is wrong when the bytes are not a readable {@code .npy}
     */
    public static FloatTensor decode(byte[] bytes) {
        try {
            return parse(bytes).tensor();
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("the data ends early", e);
        }
    }

    static Array parse(byte[] all) {
        if (all.length < 10) {
            throw new IllegalArgumentException("file too short");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (all[i] != MAGIC[i]) {
                throw new IllegalArgumentException("missing \\x93NUMPY magic");
            }
        }
        int major = all[6];
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(bb.getShort(8));
            offset = 10;
        } else if (major == 2 || major == 3) {
            headerLen = bb.getInt(8);
            offset = 12;
        } else {
            throw new IllegalArgumentException("unsupported format version " + major);
        }
        if (offset + headerLen > all.length) {
            throw new IllegalArgumentException("header runs past the end of the file");
        }
        String header = new String(all, offset, headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IllegalArgumentException("header lacks descr, fortran_order or shape: " + header.trim());
        }
        if (f.group(1).equals("True")) {
            throw new IllegalArgumentException("Fortran-ordered arrays are not supported; save with C order");
        }
        String descr = d.group(1);
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            String t = part.trim();
            if (!t.isEmpty()) {
                dims.add(Long.parseLong(t));
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        if (descr.isEmpty()) {
            throw new IllegalArgumentException("empty descr");
        }
        char order = descr.charAt(0);
        ByteOrder bo = order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String type = descr.substring(order == '<' || order == '>' || order == '|' || order == '=' ? 1 : 0);
        int n = checkedCount(shape, type, all.length - offset - headerLen);
        ByteBuffer data = ByteBuffer.wrap(all, offset + headerLen, all.length - offset - headerLen).order(bo);
        float[] out = new float[n];
        switch (type) {
            case "f4" -> data.asFloatBuffer().get(out);
            case "f8" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) data.getDouble();
                }
            }
            case "u1" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Byte.toUnsignedInt(data.get());
                }
            }
            case "i1" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data.get();
                }
            }
            case "i2" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data.getShort();
                }
            }
            case "i4" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data.getInt();
                }
            }
            case "i8" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data.getLong();
                }
            }
            default -> throw new IllegalArgumentException("unsupported dtype '" + descr
                    + "' (supported: float32, float64, uint8, int8, int16, int32, int64)");
        }
        return new Array(type, new FloatTensor(shape, out));
    }

    /**
     * The element count the header declares, checked against the bytes that follow it before
     * anything is allocated: a tiny file cannot make us reserve gigabytes.
     */
    private static int checkedCount(long[] shape, String type, long available) {
        long count = 1;
        boolean overflow = false;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + FloatTensor.shapeText(shape));
            }
            if (d != 0 && count > Long.MAX_VALUE / d) {
                overflow = true;
            }
            count *= d;
        }
        int itemSize = switch (type) {
            case "f8", "i8" -> 8;
            case "f4", "i4" -> 4;
            case "i2" -> 2;
            case "u1", "i1" -> 1;
            default -> throw new IllegalArgumentException("unsupported dtype '" + type
                    + "' (supported: float32, float64, uint8, int8, int16, int32, int64)");
        };
        if (overflow || count > available / itemSize) {
            String need = overflow ? "more than 2^63 bytes" : InputFiles.size(count * itemSize);
            throw new IllegalArgumentException("header declares shape " + FloatTensor.shapeText(shape) + " (" + need
                    + ") but only " + InputFiles.size(available) + " of data follow it");
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + FloatTensor.shapeText(shape) + " has " + count
                    + " elements, more than one array holds");
        }
        return (int) count;
    }

    /** Encodes a tensor as a little-endian float32 {@code .npy} file (format 1.0). */
    public static byte[] encode(FloatTensor t) {
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < t.shape().length; i++) {
            shape.append(t.shape()[i]).append(", ");
        }
        if (t.shape().length > 1) {
            shape.setLength(shape.length() - 2);
        } else if (t.shape().length == 1) {
            shape.setLength(shape.length() - 1);
        }
        shape.append(')');
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + 4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        bb.put(header.getBytes(StandardCharsets.ISO_8859_1));
        bb.asFloatBuffer().put(t.data());
        return bb.array();
    }

    /** Writes {@code t} atomically as float32. */
    public static void write(Path file, FloatTensor t) throws IOException {
        AtomicFiles.write(file, encode(t));
    }
}
