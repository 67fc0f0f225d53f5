package dev.layerwise.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the classes the FX thread will need for the window, on a daemon thread, ahead of it.
 *
 * <p>From the first view model to the filled Layers table the FX thread loads some 2,500 classes
 * that the JDK's shared archive does not hold (JavaFX's controls, skins and CSS, ControlsFX,
 * JFreeChart and Java2D, the views): each read and inflated from the jar, parsed and defined, while
 * the other core mostly waits for the model's run. The names are in {@value #LIST}, in the order the
 * FX thread first used them, so this thread stays ahead of it. Classes are loaded, not
 * initialised: a static initialiser still runs on the thread that first uses the class (JavaFX's
 * controls need the started toolkit for theirs). A name that no longer exists is skipped: a stale
 * list costs time, never a failure. Decision 0026 says how the list is made again.
 */
final class StartupClasses {

    /** The list, one binary class name a line, next to this class. */
    static final String LIST = "startup-classes.txt";

    private StartupClasses() {
    }

    /**
     * Starts loading the listed classes on a daemon thread and returns at once; not with
     * {@code -Dlayerwise.startupClasses=off}, which the run that makes the list uses.
     */
    static void loadAhead() {
        if ("off".equals(System.getProperty("layerwise.startupClasses"))) {
            return;
        }
        ClassLoader loader = StartupClasses.class.getClassLoader();
        Thread t = new Thread(() -> {
            for (String name : names()) {
                try {
                    Class.forName(name, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    // renamed or gone since the list was made: the FX thread loads what it needs anyway
                }
            }
        }, "layerwise-classes-ahead");
        t.setDaemon(true);
        t.start();
    }

    /** The listed names in order; empty when the list is missing or unreadable. */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        try (InputStream in = StartupClasses.class.getResourceAsStream(LIST)) {
            if (in == null) {
                return names;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        } catch (IOException e) {
            // nothing loaded ahead: only slower
        }
        return names;
    }
}
