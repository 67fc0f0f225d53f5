package dev.layerwise.app;

import java.util.Locale;
import java.util.Map;
import javafx.application.Application;

/**
 * Starts the workbench. A plain class (not a subclass of {@code Application}) so that the shaded
 * jar, which has JavaFX on the class path rather than the module path, can launch it.
 *
 * <p>Without a display (a server, an ssh session without X forwarding) it says so in one line and
 * points to the command line, instead of JavaFX's stack trace.
 */
public final class Launcher {

    static final String NO_DISPLAY = "layerwise: the workbench needs a display%s; without one, use the command line,"
            + " e.g. 'layerwise analyze MODEL --dataset LIST -o DIR' ('layerwise --help' lists the commands)";

    private Launcher() {
    }

    public static void main(String[] args) {
        String missing = noDisplay(System.getenv(), System.getProperty("os.name", ""), System.getProperty("glass.platform"));
        if (missing != null) {
            System.err.println(missing);
            System.exit(1);
        }
        // DISPLAY set but unreachable: JavaFX fails on its own launcher thread with a stack trace
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (isDisplayFailure(e)) {
                System.err.println(String.format(Locale.ROOT, NO_DISPLAY, " and cannot open " + describe(System.getenv())));
                Runtime.getRuntime().halt(1);
            } else if (previous != null) {
                previous.uncaughtException(thread, e);
            } else {
                e.printStackTrace();
            }
        });
        warmUpEngine();
        App.prepareDevicesAhead();
        if (args.length == 0) {
            // the window opens the bundled sample: its model is read and probed while JavaFX starts
            App.openSampleAhead();
        }
        Application.launch(App.class, args);
    }

    /**
     * Loads ONNX Runtime's native library and the ONNX classes on a daemon thread while JavaFX
     * starts its toolkit (both take a few hundred milliseconds), instead of after the window asks
     * for a model.
     */
    static void warmUpEngine() {
        Thread warm = new Thread(() -> {
            dev.layerwise.core.runtime.OnnxSession.warmUp();
            dev.layerwise.core.onnx.proto.Onnx.getDescriptor();
        }, "layerwise-warm-up");
        warm.setDaemon(true);
        warm.start();
    }

    /**
     * The one-line message when the workbench cannot have a display here, else {@code null}.
     * Windows and macOS always have one; elsewhere X11 ({@code DISPLAY}) or Wayland
     * ({@code WAYLAND_DISPLAY}) must be set, unless JavaFX runs headless (Monocle).
     */
    public static String noDisplay(Map<String, String> env, String osName, String glassPlatform) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows") || os.startsWith("mac") || "monocle".equalsIgnoreCase(glassPlatform)) {
            return null;
        }
        if (isSet(env.get("DISPLAY")) || isSet(env.get("WAYLAND_DISPLAY"))) {
            return null;
        }
        return String.format(Locale.ROOT, NO_DISPLAY, " and none is set (DISPLAY, WAYLAND_DISPLAY)");
    }

    static boolean isDisplayFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedOperationException && t.getMessage() != null && t.getMessage().contains("DISPLAY")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Map<String, String> env) {
        return isSet(env.get("DISPLAY")) ? "DISPLAY=" + env.get("DISPLAY").replaceAll("\\p{Cntrl}", "?") : "the Wayland display";
    }

    private static boolean isSet(String v) {
        return v != null && !v.isBlank();
    }
}
