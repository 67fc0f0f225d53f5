package dev.layerwise.app;

import dev.layerwise.app.common.BackgroundTask;
import dev.layerwise.app.common.CompositionRoot;
import dev.layerwise.app.common.FxTaskRunner;
import dev.layerwise.app.engine.CoreEngine;
import dev.layerwise.app.install.JvmRelaunch;
import dev.layerwise.app.layers.LayerRow;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.stage.Stage;

/**
 * {@code bench --workbench}: the real window, composed as {@link App#start} composes it, opened on
 * the bundled sample, and timed from the start of the JVM: when the window is shown, when the
 * Layers table has its rows and has been laid out with them, and how long each tick takes from
 * the click to the hybrid's numbers laid out on screen, the first tick right after the table
 * appeared included. Needs a display (or Monocle). Only a measurement: nothing here is used by
 * the workbench itself.
 *
 * <p>The first tick is clicked in the very frame that shows the filled table, unless a pause is
 * asked for: a person needs a moment to click, and the window does what it still has to do
 * (drawing, the JIT compiling what start-up ran, work started once the table is there) in it.
 *
 * <p>Beside each wall time it takes the CPU time spent by then, by the whole process and by the FX
 * thread: on a machine shared with other work the wall times follow the load, the CPU times much
 * less, so two builds can be compared in the same busy minutes.
 */
@CompositionRoot
public final class WorkbenchTiming {

    /**
     * Milliseconds from JVM start (window, table) and per tick (click to numbers on screen).
     *
     * @param window CPU time by the moment the window was shown
     * @param table CPU time by the moment the filled table was laid out
     * @param ticks every tick in order; the first is the one right after the table appeared
     * @param tickCpu the CPU time each tick took, in the order of {@code ticks}
     * @param firstTickAfterMs the pause between the filled table and the first tick (0: the same frame)
     */
    public record Figures(long windowMs, long tableMs, Cpu window, Cpu table, List<Double> ticks, List<Cpu> tickCpu,
            long firstTickAfterMs) {
        public double medianTickMs() {
            double[] t = ticks.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return t[t.length / 2];
        }

        /** The median CPU time of the ticks after the first (the first's own when there is no other). */
        public Cpu medianLaterTickCpu() {
            List<Cpu> later = tickCpu.size() > 1 ? tickCpu.subList(1, tickCpu.size()) : tickCpu;
            long[] p = later.stream().mapToLong(Cpu::processMs).sorted().toArray();
            long[] fx = later.stream().mapToLong(Cpu::fxMs).sorted().toArray();
            return new Cpu(p[p.length / 2], fx[fx.length / 2]);
        }
    }

    /**
     * CPU milliseconds since JVM start: the whole process's (every thread, the JIT's and the collector's
     * too; with a {@code java -jar} launch that went on in a child JVM, the parent's as well) and the FX thread's.
     */
    public record Cpu(long processMs, long fxMs) {
        static Cpu now() {
            long process = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os.getProcessCpuTime() / 1_000_000 + JvmRelaunch.parentCpuMillis() : -1;
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long fx = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() / 1_000_000 : -1;
            return new Cpu(process, fx);
        }

        Cpu minus(Cpu earlier) {
            return new Cpu(processMs - earlier.processMs, fxMs - earlier.fxMs);
        }
    }

    private WorkbenchTiming() {
    }

    /**
     * Starts the toolkit, opens the window on the sample, ticks {@code ticks} layers one after
     * another (each waits for the previous tick's numbers), then closes the window and the toolkit.
     *
     * @param settings the window's settings folder (a scratch folder: the user's recent files stay untouched)
     * @param firstTickAfterMs how long to wait after the filled table before the first tick; 0 ticks in that frame
     * @param open a workspace holding the sample to open instead of the sample itself, or {@code null}
     */
    public static Figures measure(int ticks, Path settings, long firstTickAfterMs, long timeoutSeconds, Path open) throws Exception {
        // a 'java -jar' launch that went on in a child JVM (decision 0027) is timed from the parent's start
        long jvmStart = JvmRelaunch.firstStartMillis(ManagementFactory.getRuntimeMXBean().getStartTime());
        Launcher.warmUpEngine();
        App.openSampleAhead();
        App.prepareDevicesAhead();
        CompletableFuture<Figures> done = new CompletableFuture<>();
        FxTaskRunner runner = new FxTaskRunner(Platform::runLater);
        Platform.startup(() -> {
            try {
                open(jvmStart, ticks, settings, firstTickAfterMs, open, runner, done);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(timeoutSeconds, TimeUnit.SECONDS);
        } finally {
            // the hybrid's per-layer measurement runs on a lane of its own and may still be inside ONNX Runtime
            runner.closeAndWait();
            Platform.exit();
        }
    }

    private static long since(long jvmStart) {
        return System.currentTimeMillis() - jvmStart;
    }

    private static void open(long jvmStart, int ticks, Path settings, long firstTickAfterMs, Path workspace, FxTaskRunner runner,
            CompletableFuture<Figures> done) {
        Stage stage = new Stage();
        long[] window = {-1};
        Cpu[] windowCpu = {null};
        stage.showingProperty().addListener((o, was, now) -> {
            if (now && window[0] < 0) {
                window[0] = since(jvmStart);
                windowCpu[0] = Cpu.now();
            }
        });
        Workbench wb = App.compose(stage, new CoreEngine(), runner, settings, Locale.ROOT, workspace);
        ListChangeListener<LayerRow> filled = new ListChangeListener<>() {
            @Override
            public void onChanged(Change<? extends LayerRow> c) {
                if (wb.layers().rows().isEmpty()) {
                    return;
                }
                wb.layers().rows().removeListener(this);
                afterLayout(stage, () -> {
                    long table = since(jvmStart);
                    Cpu tableCpu = Cpu.now();
                    List<String> names = new ArrayList<>();
                    for (LayerRow r : wb.layers().rows()) {
                        names.add(r.name());
                    }
                    // the figures are taken once the engine is idle (and measure() waits for the hybrid lane): a process that exits while a worker is
                    // inside ONNX Runtime (the hybrid's per-layer analysis after a tick) may crash on the way out
                    List<Cpu> cpu = new ArrayList<>();
                    Runnable ticking = () -> tick(wb, stage, names, ticks, new ArrayList<>(), cpu, times -> runner.submit(
                            BackgroundTask.of("idle", p -> times).onFinally(() -> done.complete(
                                    new Figures(window[0], table, windowCpu[0], tableCpu, times, cpu, firstTickAfterMs)))));
                    if (firstTickAfterMs == 0) {
                        ticking.run();
                    } else {
                        javafx.animation.PauseTransition pause = new javafx.animation.PauseTransition(
                                javafx.util.Duration.millis(firstTickAfterMs));
                        pause.setOnFinished(e -> ticking.run());
                        pause.play();
                    }
                });
            }
        };
        wb.layers().rows().addListener(filled);
    }

    /** Ticks the next layer, waits for the hybrid numbers of exactly those picks, lays them out, then goes on. */
    private static void tick(Workbench wb, Stage stage, List<String> names, int left, List<Double> times, List<Cpu> cpu,
            java.util.function.Consumer<List<Double>> finished) {
        if (left == 0) {
            finished.accept(List.copyOf(times));
            return;
        }
        String layer = names.get(times.size() % names.size());
        AtomicReference<javafx.beans.value.ChangeListener<Object>> listener = new AtomicReference<>();
        long t0 = System.nanoTime();
        Cpu c0 = Cpu.now();
        listener.set((o, was, now) -> {
            Set<String> wanted = wb.layers().types().keySet();
            if (now == null || wb.compare().hybridPlan() == null
                    || !new HashSet<>(wb.compare().hybridPlan().promotedLayers()).equals(wanted)) {
                return;
            }
            wb.compare().hybridResultProperty().removeListener(listener.get());
            afterLayout(stage, () -> {
                times.add((System.nanoTime() - t0) / 1e6);
                cpu.add(Cpu.now().minus(c0));
                tick(wb, stage, names, left - 1, times, cpu, finished);
            });
        });
        wb.compare().hybridResultProperty().addListener(listener.get());
        wb.layers().toggle(layer);
    }

    /** Runs {@code then} once the scene has been laid out after now (what is on screen next). */
    private static void afterLayout(Stage stage, Runnable then) {
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            stage.getScene().removePostLayoutPulseListener(once[0]);
            then.run();
        };
        stage.getScene().addPostLayoutPulseListener(once[0]);
        Platform.requestNextPulse();
    }

    /** One line per figure, as {@code bench} prints them. */
    public static String describe(Figures f) {
        return String.format(Locale.ROOT, """
                workbench: launch -> window shown            %6d ms (from JVM start; the first JVM's if relaunched)
                workbench: launch -> Layers table filled     %6d ms
                workbench: tick -> hybrid numbers on screen  %6.0f ms median of %d, first tick after launch %.0f ms (all: %s)
                workbench: CPU by window shown / table filled: process %d / %d ms, FX thread %d / %d ms
                workbench: CPU of the first tick / median of the others: process %d / %d ms, FX thread %d / %d ms%s
                """, f.windowMs(), f.tableMs(), f.medianTickMs(), f.ticks().size(), f.ticks().get(0),
                Arrays.toString(f.ticks().stream().mapToLong(Math::round).toArray()), f.window().processMs(), f.table().processMs(),
                f.window().fxMs(), f.table().fxMs(), f.tickCpu().get(0).processMs(), f.medianLaterTickCpu().processMs(),
                f.tickCpu().get(0).fxMs(), f.medianLaterTickCpu().fxMs(),
                f.firstTickAfterMs() == 0 ? "" : String.format(Locale.ROOT, "%nworkbench: the first tick was clicked %d ms after the filled table",
                        f.firstTickAfterMs()));
    }
}
