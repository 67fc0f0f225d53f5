package dev.layerwise.bridge.device;

import dev.layerwise.bridge.adb.AdbServerClient;
import dev.layerwise.bridge.adb.AdbStream;
import dev.layerwise.bridge.adb.AdbTransport;
import java.io.Closeable;
import java.io.IOException;

/** A way to open service streams on one device: through the adb server or over a direct transport. */
public interface DeviceChannel extends Closeable {

    /** The name used in messages. */
    String serial();

    AdbStream open(String service, int timeoutMillis) throws IOException;

    @Override
    default void close() {
    }

    /** Through the adb server; each stream is its own socket to the server. */
    static DeviceChannel viaServer(AdbServerClient server, String serial) {
        return new DeviceChannel() {
            @Override
            public String serial() {
                return serial;
            }

            @Override
            public AdbStream open(String service, int timeoutMillis) throws IOException {
                return server.open(serial, service);
            }
        };
    }

    /** Over an adb transport we connected ourselves; closing the channel closes the transport. */
    static DeviceChannel direct(String name, AdbTransport transport) {
        return new DeviceChannel() {
            @Override
            public String serial() {
                return name;
            }

            @Override
            public AdbStream open(String service, int timeoutMillis) throws IOException {
                return transport.open(service, timeoutMillis);
            }

            @Override
            public void close() {
                transport.close();
            }
        };
    }
}
