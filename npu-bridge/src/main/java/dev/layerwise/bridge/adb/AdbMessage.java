package dev.layerwise.bridge.adb;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One message of the adb transport protocol: a 24-byte little-endian header (command, arg0, arg1,
 * payload length, payload checksum, magic = command ^ 0xffffffff) followed by the payload.
 * Immutable apart from the payload array, which callers must not modify.
 */
public record AdbMessage(int command, int arg0, int arg1, byte[] payload) {

    public static final int CNXN = 0x4e584e43;
    public static final int AUTH = 0x48545541;
    public static final int OPEN = 0x4e45504f;
    public static final int OKAY = 0x59414b4f;
    public static final int CLSE = 0x45534c43;
    public static final int WRTE = 0x45545257;
    public static final int STLS = 0x534c5453;

    /** Protocol version before Android 9: checksums checked, payload at most 4 KiB. */
    public static final int VERSION_MIN = 0x01000000;
    /** Protocol version from Android 9 on: checksums no longer checked, larger payloads. */
    public static final int VERSION_SKIP_CHECKSUM = 0x01000001;
    /** Payload limit we announce; the peer's CNXN may lower it. */
    public static final int MAX_PAYLOAD = 256 * 1024;

    /** AUTH arg0: the device sends a token to sign. */
    public static final int AUTH_TOKEN = 1;
    /** AUTH arg0: the host answers with a signature of the token. */
    public static final int AUTH_SIGNATURE = 2;
    /** AUTH arg0: the host offers its public key for the user to accept. */
    public static final int AUTH_RSAPUBLICKEY = 3;

    private static final int HEADER = 24;

    public AdbMessage {
        payload = payload == null ? new byte[0] : payload;
    }

    public static AdbMessage of(int command, int arg0, int arg1, String text) {
        return new AdbMessage(command, arg0, arg1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Payload as UTF-8 text without a trailing NUL. */
    public String text() {
        int n = payload.length;
        while (n > 0 && payload[n - 1] == 0) {
            n--;
        }
        return new String(payload, 0, n, StandardCharsets.UTF_8);
    }

    public void writeTo(OutputStream out) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(command).putInt(arg0).putInt(arg1).putInt(payload.length).putInt(checksum(payload)).putInt(~command);
        out.write(h.array());
        out.write(payload);
        out.flush();
    }

    /**
     * Reads one message.
     *
     * @throws EOFException when the peer closed the connection
     * @throws IOException on a broken header (bad magic or a payload beyond {@code maxPayload})
     */
    public static AdbMessage readFrom(InputStream in, int maxPayload) throws IOException {
        DataInputStream din = in instanceof DataInputStream d ? d : new DataInputStream(in);
        byte[] hb = new byte[HEADER];
        din.readFully(hb);
        ByteBuffer h = ByteBuffer.wrap(hb).order(ByteOrder.LITTLE_ENDIAN);
        int cmd = h.getInt();
        int a0 = h.getInt();
        int a1 = h.getInt();
        int len = h.getInt();
        h.getInt(); // checksum: not verified, as adb itself stopped doing from version 0x01000001
        int magic = h.getInt();
        if (magic != ~cmd) {
            throw new IOException("adb protocol error: bad magic in message header (not an adb peer?)");
        }
        if (len < 0 || len > maxPayload) {
            throw new IOException("adb protocol error: payload of " + Integer.toUnsignedString(len) + " bytes exceeds " + maxPayload);
        }
        byte[] p = new byte[len];
        din.readFully(p);
        return new AdbMessage(cmd, a0, a1, p);
    }

    static int checksum(byte[] data) {
        int sum = 0;
        for (byte b : data) {
            sum += b & 0xff;
        }
        return sum;
    }

    /** The command as its four letters, for messages and logs. */
    public static String name(int command) {
        byte[] b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(command).array();
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return name(command) + "(" + arg0 + ", " + arg1 + ", " + payload.length + " bytes)";
    }
}
