package dev.layerwise.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.layerwise.core.io.InputFileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    /** A version-1 .npy header for {@code shape} and {@code descr}, followed by {@code data}. */
    private static byte[] npy(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[10 + header.length + data.length];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length, 0};
        System.arraycopy(magic, 0, all, 0, 10);
        System.arraycopy(header, 0, all, 10, header.length);
        System.arraycopy(data, 0, all, 10 + header.length, data.length);
        return all;
    }

    @Test
    void declaredShapeLargerThanTheFileIsRefusedBeforeAllocating() throws Exception {
        Path f = Files.write(dir.resolve("bomb.npy"), npy("<f4", "(40000, 40000)", new byte[64]));
        assertEquals(192, Files.size(f));
        InputFileException e = assertThrows(InputFileException.class, () -> Npy.read(f));
        assertEquals(f + ": not a readable .npy file: header declares shape 40000x40000 (6.0 GiB) but only 64 bytes of data"
                + " follow it", e.getMessage());
    }

    @Test
    void shapeWhoseByteCountOverflowsIsRefused() throws Exception {
        Path f = Files.write(dir.resolve("overflow.npy"), npy("<f8", "(4611686018427387904, 4)", new byte[8]));
        InputFileException e = assertThrows(InputFileException.class, () -> Npy.read(f));
        assertEquals(f + ": not a readable .npy file: header declares shape 4611686018427387904x4 (more than 2^63 bytes) but only"
                + " 8 bytes of data follow it", e.getMessage());
    }

    @Test
    void arrayWithAllItsBytesIsReadAndConverted() throws Exception {
        Path f = Files.write(dir.resolve("ok.npy"), npy("|u1", "(2, 2)", new byte[] {0, 1, (byte) 200, (byte) 255}));
        FloatTensor t = Npy.read(f);
        assertArrayEquals(new long[] {2, 2}, t.shape());
        assertArrayEquals(new float[] {0, 1, 200, 255}, t.data());
    }

    @Test
    void endlessDeviceIsNotAnArray() {
        InputFileException e = assertThrows(InputFileException.class, () -> Npy.read(Path.of("/dev/zero")));
        assertEquals("/dev/zero: is not a regular file (a character device); give the .npy file as an ordinary file",
                e.getMessage());
    }
}
