package dev.layerwise.bridge.adb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;

/** A service stream that is a plain socket to the adb server after the transport switch. */
final class SocketStream implements AdbStream {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    SocketStream(Socket socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.in = in;
        this.out = out;
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public void setReadTimeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (SocketException e) {
            // a closed socket fails the next read anyway
        }
    }

    @Override
    public void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            // nothing left to tell the peer
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing twice or on a dead socket is harmless
        }
    }
}
