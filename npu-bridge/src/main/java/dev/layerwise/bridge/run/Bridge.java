package dev.layerwise.bridge.run;

import dev.layerwise.bridge.adb.AdbExecutable;
import dev.layerwise.bridge.adb.AdbServerClient;
import dev.layerwise.bridge.adb.AdbTransport;
import dev.layerwise.bridge.adb.AdbUnavailableException;
import dev.layerwise.bridge.adb.DeviceEntry;
import dev.layerwise.bridge.device.CancelToken;
import dev.layerwise.bridge.device.DeviceChannel;
import dev.layerwise.bridge.device.DeviceClient;
import dev.layerwise.bridge.device.DeviceException;
import dev.layerwise.bridge.device.DeviceInfo;
import dev.layerwise.bridge.device.DeviceProbe;
import dev.layerwise.bridge.device.DeviceState;
import dev.layerwise.bridge.device.Step;
import dev.layerwise.bridge.profile.ProfileRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bridge's entry point for the UI and the CLI: list devices, connect network devices, run a
 * model on a device. Every method blocks, so call it off the UI thread; every device call inside
 * is bounded by a timeout, and a {@link CancelToken} stops a run from another thread. Failures are
 * {@link DeviceException}s naming the device and step, or {@link AdbUnavailableException} saying
 * how to install adb. Thread-safe; one instance per application.
 */
public final class Bridge {

    /** Prefix of serials that bypass the adb server: {@code direct:HOST:PORT}. */
    public static final String DIRECT = "direct:";

    /** True when {@code serial} bypasses the adb server ({@code direct:HOST:PORT}). */
    public static boolean isDirect(String serial) {
        return serial.startsWith(DIRECT);
    }

    /**
     * Settings. Immutable.
     *
     * @param adb how to find and start adb
     * @param serverPort adb server port (5037 or {@code ANDROID_ADB_SERVER_PORT})
     * @param commandTimeout limit for short device commands (probe, mkdir, checksum, pull of small files)
     * @param connectTimeout limit for connecting and opening a service
     * @param workRoot device folder for run folders, or {@code null} for the OS default
     */
    public record Config(AdbExecutable adb, int serverPort, Duration commandTimeout, Duration connectTimeout, String workRoot) {

        /** adb from the PATH, the server port from the environment, 20 s commands, 5 s connects. */
        public static Config defaults() {
            return new Config(AdbExecutable.fromSystem(), AdbServerClient.portFromEnvironment(System.getenv()),
                    Duration.ofSeconds(20), Duration.ofSeconds(5), null);
        }

        public Config withAdb(AdbExecutable a) {
            return new Config(a, serverPort, commandTimeout, connectTimeout, workRoot);
        }

        public Config withServerPort(int p) {
            return new Config(adb, p, commandTimeout, connectTimeout, workRoot);
        }

        public Config withWorkRoot(String w) {
            return new Config(adb, serverPort, commandTimeout, connectTimeout, w);
        }

        public Config withCommandTimeout(Duration t) {
            return new Config(adb, serverPort, t, connectTimeout, workRoot);
        }
    }

    private final Config config;
    private final ProfileRegistry profiles;
    private final AdbServerClient server;
    private final Map<String, Set<String>> leftovers = new ConcurrentHashMap<>();
    private final DeviceRun.Leftovers leftoverBook = new DeviceRun.Leftovers() {
        @Override
        public List<String> take(String serial) {
            Set<String> s = leftovers.remove(serial);
            return s == null ? List.of() : List.copyOf(s);
        }

        @Override
        public void add(String serial, String dir) {
            leftovers.computeIfAbsent(serial, k -> ConcurrentHashMap.newKeySet()).add(dir);
        }
    };

    public Bridge(Config config, ProfileRegistry profiles) {
        this.config = config;
        this.profiles = profiles;
        this.server = new AdbServerClient("127.0.0.1", config.serverPort(), (int) config.connectTimeout().toMillis(),
                config.adb());
    }

    public ProfileRegistry profiles() {
        return profiles;
    }

    public Config config() {
        return config;
    }

    /**
     * Devices known to the adb server (starting it if needed), each probed when usable. A device
     * that does not answer the probe is listed as offline rather than failing the whole list.
     *
     * @throws AdbUnavailableException when no server runs and adb is missing (the message says how to install it)
     */
    public List<DeviceInfo> devices() throws AdbUnavailableException, DeviceException {
        List<DeviceEntry> entries;
        server.ensureRunning();
        try {
            entries = server.devices();
        } catch (IOException e) {
            throw new DeviceException("(adb server)", Step.DISCOVER, "cannot list devices: " + e.getMessage(), e);
        }
        List<DeviceInfo> out = new ArrayList<>();
        for (DeviceEntry e : entries) {
            DeviceState state = DeviceState.parse(e.state());
            String model = e.qualifiers().get("model");
            if (state != DeviceState.DEVICE) {
                out.add(DeviceInfo.unusable(e.serial(), state, model));
                continue;
            }
            try {
                out.add(probe(e.serial(), null));
            } catch (DeviceException ex) {
                out.add(DeviceInfo.unusable(e.serial(), DeviceState.OFFLINE, model));
            }
        }
        return out;
    }

    /**
     * Adds a network device by {@code host:port}: through the adb server ({@code adb connect}) when
     * one runs or can be started, else directly. Returns the probed device; its serial is the one
     * to use for runs.
     */
    public DeviceInfo connect(String hostPort, CancelToken cancel) throws DeviceException {
        if (!hostPort.matches("[^\\s:]+:\\d{1,5}")) {
            throw new DeviceException(hostPort, Step.CONNECT, "expected HOST:PORT, e.g. 192.168.1.20:5555");
        }
        try {
            server.ensureRunning();
        } catch (AdbUnavailableException e) {
            return probe(DIRECT + hostPort, cancel);
        }
        try {
            server.connect(hostPort);
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.contains("authenticate")) {
                throw new DeviceException(hostPort, Step.CONNECT, "unauthorized (" + m + "): " + DeviceState.UNAUTHORIZED.hint(), e);
            }
            throw new DeviceException(hostPort, Step.CONNECT, m, e);
        }
        // the server may report the device as "connecting" or "authorizing" for a moment
        long until = System.nanoTime() + config.connectTimeout().toNanos();
        DeviceState state = DeviceState.CONNECTING;
        while (System.nanoTime() < until) {
            state = serverState(hostPort);
            if (state == DeviceState.DEVICE || state == DeviceState.UNAUTHORIZED || state == DeviceState.OFFLINE) {
                break;
            }
            sleep(100);
        }
        if (state == null) {
            throw new DeviceException(hostPort, Step.CONNECT, "the adb server did not list " + hostPort + " after connecting; "
                    + "check that the board's adbd listens there (adb tcpip 5555 on the board)");
        }
        if (state != DeviceState.DEVICE) {
            throw new DeviceException(hostPort, Step.CONNECT, state.word() + ": " + state.hint());
        }
        return probe(hostPort, cancel);
    }

    /** Learns model, SoC, OS, free space and runtimes of one usable device. */
    public DeviceInfo probe(String serial, CancelToken cancel) throws DeviceException {
        try (DeviceClient c = client(serial, cancel)) {
            return DeviceProbe.probe(c, config.workRoot(), config.commandTimeout());
        }
    }

    /**
     * Runs a model: push the model, input and runner files into a fresh work folder, run the
     * profile's command, pull the output, remove the folder. Nothing is written on the host.
     *
     * @param listener progress, called on this thread
     * @param cancel stops the run from another thread; may be {@code null}
     */
    public DeviceRunResult run(RunRequest request, DeviceProgress listener, CancelToken cancel) throws DeviceException {
        DeviceProgress l = listener == null ? DeviceProgress.NONE : listener;
        l.step(Step.CONNECT, request.serial());
        try (DeviceClient c = client(request.serial(), cancel)) {
            l.step(Step.PROBE, request.serial());
            DeviceInfo info = DeviceProbe.probe(c, config.workRoot(), config.commandTimeout());
            return new DeviceRun(c, info, request, profiles, l, config.commandTimeout(), leftoverBook).run();
        }
    }

    private DeviceClient client(String serial, CancelToken cancel) throws DeviceException {
        return new DeviceClient(channel(serial), cancel, config.connectTimeout());
    }

    private DeviceChannel channel(String serial) throws DeviceException {
        if (isDirect(serial)) {
            String hostPort = serial.substring(DIRECT.length());
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new DeviceException(serial, Step.CONNECT, "expected direct:HOST:PORT");
            }
            try {
                return DeviceChannel.direct(serial, AdbTransport.connect(hostPort.substring(0, colon),
                        Integer.parseInt(hostPort.substring(colon + 1)), (int) config.connectTimeout().toMillis()));
            } catch (AdbTransport.AuthRequiredException e) {
                throw new DeviceException(serial, Step.CONNECT, "unauthorized: " + e.getMessage(), e);
            } catch (IOException | NumberFormatException e) {
                throw new DeviceException(serial, Step.CONNECT, "cannot connect: " + e.getMessage(), e);
            }
        }
        try {
            server.ensureRunning();
        } catch (AdbUnavailableException e) {
            throw new DeviceException(serial, Step.CONNECT, e.getMessage(), e);
        }
        DeviceState state = serverState(serial);
        if (state == null) {
            throw new DeviceException(serial, Step.DISCOVER, "not connected (see 'layerwise devices'; network devices: "
                    + "'layerwise devices --connect HOST:PORT')");
        }
        if (state != DeviceState.DEVICE) {
            throw new DeviceException(serial, Step.CONNECT, state.word() + ": " + state.hint());
        }
        return DeviceChannel.viaServer(server, serial);
    }

    /** The server's state for a serial, {@code null} when it does not list it. */
    private DeviceState serverState(String serial) throws DeviceException {
        try {
            for (DeviceEntry e : server.devices()) {
                if (e.serial().equals(serial)) {
                    return DeviceState.parse(e.state());
                }
            }
            return null;
        } catch (IOException e) {
            throw new DeviceException(serial, Step.DISCOVER, "adb server: " + e.getMessage(), e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
