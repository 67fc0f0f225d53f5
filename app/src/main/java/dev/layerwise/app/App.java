package dev.layerwise.app;

import dev.layerwise.core.io.InputFiles;
import dev.layerwise.app.cli.SampleModel;
import dev.layerwise.app.common.CompositionRoot;
import dev.layerwise.app.common.ErrorReporter;
import dev.layerwise.app.common.FxErrorReporter;
import dev.layerwise.app.common.FxTaskRunner;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.StepNames;
import dev.layerwise.app.common.TaskRunner;
import dev.layerwise.app.device.DeviceBridge;
import dev.layerwise.app.layers.LayersViewModel;
import dev.layerwise.app.engine.CoreEngine;
import dev.layerwise.app.engine.Engine;
import dev.layerwise.app.project.ProjectViewModel;
import dev.layerwise.app.workspace.RecentFiles;
import dev.layerwise.app.workspace.WorkspaceViewModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;

/**
 * The JavaFX application and the one composition root: the task runners, the error reporter,
 * the view models (by {@link Workbench#create}) and the window are made in {@link #compose},
 * nowhere else.
 */
@CompositionRoot
public final class App extends Application {

    /** Where recent files and the language choice are kept; {@code -Dlayerwise.settings=DIR} moves it. */
    static Path settingsDir() {
        String s = System.getProperty("layerwise.settings");
        return s != null ? Path.of(s) : Path.of(System.getProperty("user.home"), ".layerwise");
    }

    private FxTaskRunner runner;
    private FxTaskRunner deviceRunner;

    @Override
    public void start(Stage stage) {
        runner = new FxTaskRunner(Platform::runLater);
        // boards get their own worker: a slow push or a lost device must not hold up the engine
        deviceRunner = new FxTaskRunner(Platform::runLater, "layerwise-device");
        Path settings = settingsDir();
        Path open = getParameters().getRaw().isEmpty() ? null : Path.of(getParameters().getRaw().get(0));
        compose(stage, new CoreEngine(), runner, systemDevices(), deviceRunner, settings, savedLocale(settings), open);
    }

    /**
     * Cancels the workers' tasks and waits, bounded, for them to leave ONNX Runtime: the JVM exits
     * right after this, and an exit while a worker is inside native code (a session being created)
     * crashed it once (SIGBUS). The ORT environment itself is never closed here.
     */
    @Override
    public void stop() {
        for (FxTaskRunner r : new FxTaskRunner[] {runner, deviceRunner}) {
            if (r != null) {
                r.close();
            }
        }
        for (FxTaskRunner r : new FxTaskRunner[] {runner, deviceRunner}) {
            if (r != null && !r.closeAndWait()) {
                System.err.println("layerwise: a background task did not stop within " + FxTaskRunner.CLOSE_WAIT_SECONDS
                        + " s; exiting anyway");
            }
        }
    }

    /** The engine's and the device's runners once started, for tests of {@link #stop}. */
    List<FxTaskRunner> runners() {
        return java.util.Arrays.stream(new FxTaskRunner[] {runner, deviceRunner}).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * Starts opening the bundled sample's model, if there is one, for the window's first open to
     * take: called before JavaFX starts, when the window will open the sample.
     */
    static void openSampleAhead() {
        Path sample = SampleModel.locate();
        if (sample != null) {
            CoreEngine.openAhead(sample);
        }
    }

    /**
     * The system's device bridge being made on a daemon thread, for the window to take; see
     * {@link #prepareDevicesAhead}.
     */
    private static final java.util.concurrent.atomic.AtomicReference<CompletableFuture<DeviceBridge>> DEVICES_AHEAD =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * Makes the system's device bridge (adb's settings and the runner profiles, read from YAML) on
     * a daemon thread while JavaFX starts: on the FX thread it held the window back by 0.1–0.3 s
     * of cold class loading and parsing before anything was on screen.
     */
    static void prepareDevicesAhead() {
        CompletableFuture<DeviceBridge> made = new CompletableFuture<>();
        if (!DEVICES_AHEAD.compareAndSet(null, made)) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                made.complete(DeviceBridge.system());
            } catch (Throwable e) {
                made.completeExceptionally(e);
            }
        }, "layerwise-devices-ahead");
        t.setDaemon(true);
        t.start();
    }

    /** The bridge made ahead, if it was; otherwise (or if that failed) made here, so that its error surfaces as it always did. */
    static DeviceBridge systemDevices() {
        CompletableFuture<DeviceBridge> ahead = DEVICES_AHEAD.getAndSet(null);
        if (ahead != null) {
            try {
                return ahead.join();
            } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
                // made again below
            }
        }
        return DeviceBridge.system();
    }

    /** As below, with the system's adb and profiles, device work on the engine's runner. */
    public static Workbench compose(Stage stage, Engine engine, TaskRunner runner, Path settings, Locale locale, Path open) {
        return compose(stage, engine, runner, systemDevices(), runner, settings, locale, open);
    }

    /**
     * Builds and shows the window.
     *
     * @param devices the npu-bridge
     * @param deviceRunner where bridge calls run
     * @param open a model, workspace or cfg to open; null opens the bundled sample
     * @return the window's view models, for tests
     */
    public static Workbench compose(Stage stage, Engine engine, TaskRunner runner, DeviceBridge devices, TaskRunner deviceRunner,
            Path settings, Locale locale, Path open) {
        Messages messages = new Messages(locale);
        runner.status().nameSteps(StepNames.in(messages));
        deviceRunner.status().nameSteps(StepNames.in(messages));
        ErrorReporter errors = new FxErrorReporter(() -> stage, messages);
        RecentFiles recent = new RecentFiles(settings == null ? null : settings.resolve("recent.txt"), 10);
        Workbench wb = Workbench.create(engine, runner, devices, deviceRunner, errors, messages, recent, SampleModel.locate());
        ProjectViewModel project = wb.project();
        LayersViewModel layers = wb.layers();
        WorkspaceViewModel workspace = wb.workspace();
        wb.device().rememberBoards(savedBoards(settings), boards -> saveBoards(settings, boards));
        wb.device().runs().rememberRknn(savedRknn(settings), f -> saveRknn(settings, f));

        MainWindow window = new MainWindow(stage, wb, messages, l -> {
            messages.setLocale(l);
            saveLocale(settings, l);
        }, () -> stage.setTitle(title(messages, project, layers)));
        double[] size = savedWindowSize(settings);
        // a small screen (a 1024x768 laptop, a board's HDMI) gets a window that fits on it
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        // the frame first: the window is on screen (with the open's progress) before the views are laid out
        javafx.scene.Parent root = window.buildFrame();
        Scene scene = new Scene(root, Math.min(size[0], screen.getWidth()), Math.min(size[1], screen.getHeight()));
        scene.getStylesheets().add(App.class.getResource("workbench.css").toExternalForm());
        stage.setScene(scene);
        // a stage shown before keeps the size it had, not the scene's: the window opens at the size remembered
        stage.sizeToScene();
        stage.setUserData(window);
        stage.setOnCloseRequest(window::closeRequested);
        for (int px : new int[] {16, 32, 64, 256}) {
            var icon = App.class.getResourceAsStream("icons/layerwise-" + px + ".png");
            if (icon != null) {
                stage.getIcons().add(new Image(icon));
            }
        }
        stage.setTitle(title(messages, project, layers));
        project.modelProperty().addListener((o, was, now) -> stage.setTitle(title(messages, project, layers)));
        layers.unsavedProperty().addListener((o, was, now) -> stage.setTitle(title(messages, project, layers)));
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        stage.setMaximized(size[2] > 0);
        // the size the user left the window at is the size it opens at next time
        stage.setOnHidden(e -> saveWindowSize(settings, stage));
        stage.show();
        // the views' classes are loaded ahead of the FX thread once the window is on screen: loaded
        // from launch, they competed with JavaFX's and ONNX Runtime's start for the two cores and the
        // window showed later (decision 0026)
        StartupClasses.loadAhead();

        // the engine opens the model while the views are built: two cores, two threads
        if (open != null) {
            workspace.open(open);
        } else {
            wb.openSample();
        }
        afterFirstFrame(scene, window::fill);
        return wb;
    }

    /**
     * Runs {@code then} on the FX thread once the scene's next frame has been laid out and handed
     * to the renderer: work queued from a post-layout listener runs after that pulse, while the
     * frame is drawn.
     */
    static void afterFirstFrame(Scene scene, Runnable then) {
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            Platform.runLater(then);
        };
        scene.addPostLayoutPulseListener(once[0]);
        Platform.requestNextPulse();
    }

    /** "Layerwise — model.onnx", with a leading "*" while picks or the threshold are unsaved, as editors mark it. */
    static String title(Messages messages, ProjectViewModel project, LayersViewModel layers) {
        Path m = project.modelProperty().get();
        String unsaved = layers.unsavedProperty().get() ? "*" : "";
        return m == null ? unsaved + messages.get("app.title") : messages.get("app.titleWith", unsaved + m.getFileName());
    }

    static Locale savedLocale(Path settings) {
        // without a setting: the system language
        return setting(settings, "language", 1024).map(t -> Locale.forLanguageTag(t.strip())).orElse(Locale.getDefault());
    }

    /** The network boards added in earlier sessions, one address a line. */
    static List<String> savedBoards(Path settings) {
        // a damaged list is not worth an error: the user adds the board again
        return setting(settings, "boards.txt", InputFiles.SMALL_TEXT_LIMIT)
                .map(t -> t.lines().map(String::strip).filter(l -> !l.isEmpty()).distinct().limit(20).toList())
                .orElse(List.of());
    }

    private static void saveBoards(Path settings, List<String> boards) {
        // on failure the board stays listed in this session
        saveSetting(settings, "boards.txt", boards.stream().map(b -> b + "\n").collect(java.util.stream.Collectors.joining()));
    }

    /** The .rknn file last chosen in the Device view, or null. */
    static Path savedRknn(Path settings) {
        try {
            // unreadable: the user chooses the file again
            return setting(settings, "rknn.txt", 4096).map(String::strip).filter(l -> !l.isEmpty()).map(Path::of).orElse(null);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    private static void saveRknn(Path settings, Path rknn) {
        // on failure it is remembered for this session only
        saveSetting(settings, "rknn.txt", rknn.toAbsolutePath() + "\n");
    }

    /** Width, height and 1 for maximized, as last left; 1400 x 900 the first time. */
    static double[] savedWindowSize(Path settings) {
        double[] size = {1400, 900, 0};
        try {
            String[] parts = setting(settings, "window", 1024).map(t -> t.strip().split("\\s+")).orElse(new String[0]);
            for (int i = 0; i < Math.min(3, parts.length); i++) {
                size[i] = Double.parseDouble(parts[i]);
            }
        } catch (NumberFormatException e) {
            return new double[] {1400, 900, 0};
        }
        // never smaller than the minimum, whatever the file says
        size[0] = Math.max(900, size[0]);
        size[1] = Math.max(600, size[1]);
        return size;
    }

    private static void saveWindowSize(Path settings, Stage stage) {
        if (stage.getScene() == null) {
            return;
        }
        // the scene's size: that is what the next window is built with; on failure the default size next time
        saveSetting(settings, "window", String.format(Locale.ROOT, "%.0f %.0f %d", stage.getScene().getWidth(),
                stage.getScene().getHeight(), stage.isMaximized() ? 1 : 0));
    }

    private static void saveLocale(Path settings, Locale l) {
        // on failure the choice still applies to this session
        saveSetting(settings, "language", l.toLanguageTag());
    }

    /**
     * The text of setting file {@code name} in the settings folder, at most {@code limit} bytes;
     * empty when there is no folder, no such file or it cannot be read: every setting has a
     * default, and a damaged one is not worth an error.
     */
    private static java.util.Optional<String> setting(Path settings, String name, long limit) {
        if (settings == null) {
            return java.util.Optional.empty();
        }
        Path f = settings.resolve(name);
        try {
            return Files.isRegularFile(f) ? java.util.Optional.of(InputFiles.readUtf8(f, name + " setting", limit))
                    : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Writes setting file {@code name} whole (atomically: a crash leaves the old one); nothing
     * when there is no settings folder, and a failure is silent: the setting then holds for this
     * session only.
     */
    private static void saveSetting(Path settings, String name, String text) {
        if (settings == null) {
            return;
        }
        try {
            Files.createDirectories(settings);
            dev.layerwise.core.io.AtomicFiles.writeString(settings.resolve(name), text);
        } catch (IOException e) {
            // kept in memory for this session
        }
    }
}
