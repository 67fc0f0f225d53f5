package dev.layerwise.app.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.cli.SampleModel;
import dev.layerwise.app.common.CurrentThreadTaskRunner;
import dev.layerwise.app.common.FxTaskRunner;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.engine.CoreEngine;
import dev.layerwise.app.engine.Engine;
import dev.layerwise.app.project.ProjectViewModel;
import dev.layerwise.app.project.RecordingErrors;
import dev.layerwise.app.project.RunResult;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A tick's comparison never waits behind the per-layer measurement of an older tick's hybrid (it
 * runs on its own worker), an older measurement that finishes late is never shown, and one that a
 * newer tick supersedes while it waits never starts.
 */
class HybridLayersLaneTest {

    private final Messages messages = new Messages(Locale.ENGLISH);
    private final RecordingErrors errors = new RecordingErrors();

    @Test
    void aNewerTicksComparisonArrivesWhileTheOlderTicksMeasurementIsStillRunningAndTheOlderOneIsNeverShown()
            throws Exception {
        RunResult run = sampleRun();
        String first = run.analysis().layers().get(3).name();
        String second = run.analysis().layers().get(7).name();

        // the real engine; only its per-layer analysis of a hybrid waits for the test's word before it starts
        CountDownLatch measureMayRun = new CountDownLatch(1);
        List<QuantPlan> measuring = new CopyOnWriteArrayList<>();
        Engine real = new CoreEngine();
        Engine engine = measuring(real, plan -> {
            measuring.add(plan);
            assertTrue(measureMayRun.await(2, TimeUnit.MINUTES));
        });

        // one "UI thread" on which the view model's properties change, as the FX thread would be
        ExecutorService ui = Executors.newSingleThreadExecutor();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        FxTaskRunner runner = new FxTaskRunner(ui::execute);
        try {
            CompareViewModel compare = onUi(ui, () -> new CompareViewModel(engine, runner, errors, messages));
            onUi(ui, () -> {
                compare.hybridResultProperty().addListener((o, was, now) -> events.add("comparison "
                        + compare.hybridPlan().promotedLayers()));
                compare.hybridEntireProperty().addListener((o, was, now) -> events.add("layers " + now.size()));
                compare.rebuild(run, Map.of(first, QuantType.DYNAMIC_FIXED_POINT_I16));
                return null;
            });
            assertEquals("comparison [" + first + "]", events.poll(2, TimeUnit.MINUTES));
            waitFor(() -> measuring.size() == 1);
            QuantPlan older = measuring.get(0);

            // the next tick while the first tick's measurement is held inside the engine
            onUi(ui, () -> {
                compare.rebuild(run, Map.of(first, QuantType.DYNAMIC_FIXED_POINT_I16, second,
                        QuantType.DYNAMIC_FIXED_POINT_I16));
                return null;
            });
            String next = events.poll(2, TimeUnit.MINUTES);
            assertEquals(1, measureMayRun.getCount(), "the older measurement is still running");
            assertTrue(next != null && next.startsWith("comparison ") && next.contains(second),
                    "the newer tick's comparison arrives before the older measurement ends: " + next);

            measureMayRun.countDown();
            String measured = events.poll(2, TimeUnit.MINUTES);
            assertTrue(measured != null && measured.startsWith("layers "), "then the newer tick's measurement: " + measured);
            QuantPlan shown = onUi(ui, compare::hybridPlan);
            assertNotSame(older, shown);
            // the older measurement was cancelled: the newer plan's is the only one that was shown
            assertEquals(List.of(older, shown), measuring);
            Map<String, Double> expected = new java.util.LinkedHashMap<>();
            for (var l : real.analyzePlan(run.run(), shown, dev.layerwise.core.task.ProgressListener.NONE).layers()) {
                expected.put(l.name(), l.entire().cosine());
            }
            assertEquals(expected, onUi(ui, () -> compare.hybridEntireProperty().get()));
            assertEquals(null, events.poll(1, TimeUnit.SECONDS), "nothing stale arrives afterwards");
            assertEquals(List.of(), errors.messages);
        } finally {
            measureMayRun.countDown();
            assertTrue(runner.closeAndWait(), "both workers finish");
            ui.shutdown();
        }
    }

    @Test
    void aMeasurementSupersededWhileItWaitsForTheNextTickNeverStartsAndOnlyTheNewestIsShown() throws Exception {
        RunResult run = sampleRun();
        String first = run.analysis().layers().get(3).name();
        String second = run.analysis().layers().get(7).name();

        List<QuantPlan> measuring = new CopyOnWriteArrayList<>();
        Engine real = new CoreEngine();
        Engine engine = measuring(real, measuring::add);
        ExecutorService ui = Executors.newSingleThreadExecutor();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        FxTaskRunner runner = new FxTaskRunner(ui::execute);
        try {
            CompareViewModel compare = onUi(ui, () -> new CompareViewModel(engine, runner, errors, messages));
            onUi(ui, () -> {
                // every measurement waits for a newer tick until the test lets it go
                compare.settleMillis(Long.MAX_VALUE);
                compare.hybridResultProperty().addListener((o, was, now) -> events.add("comparison "
                        + compare.hybridPlan().promotedLayers()));
                compare.hybridEntireProperty().addListener((o, was, now) -> events.add("layers " + now.size()));
                compare.rebuild(run, Map.of(first, QuantType.DYNAMIC_FIXED_POINT_I16));
                return null;
            });
            assertEquals("comparison [" + first + "]", events.poll(2, TimeUnit.MINUTES));
            onUi(ui, () -> {
                compare.rebuild(run, Map.of(first, QuantType.DYNAMIC_FIXED_POINT_I16, second,
                        QuantType.DYNAMIC_FIXED_POINT_I16));
                return null;
            });
            String next = events.poll(2, TimeUnit.MINUTES);
            assertTrue(next != null && next.startsWith("comparison ") && next.contains(second), next);
            QuantPlan newest = onUi(ui, compare::hybridPlan);

            onUi(ui, () -> {
                compare.settleMillis(0);
                return null;
            });
            String measured = events.poll(2, TimeUnit.MINUTES);
            assertTrue(measured != null && measured.startsWith("layers "), "the newest tick's measurement: " + measured);
            assertEquals(List.of(newest), measuring, "the first tick's measurement never reached the engine");
            Map<String, Double> expected = new java.util.LinkedHashMap<>();
            for (var l : real.analyzePlan(run.run(), newest, dev.layerwise.core.task.ProgressListener.NONE).layers()) {
                expected.put(l.name(), l.entire().cosine());
            }
            assertEquals(expected, onUi(ui, () -> compare.hybridEntireProperty().get()));
            assertEquals(null, events.poll(1, TimeUnit.SECONDS), "nothing stale arrives afterwards");
            assertEquals(List.of(), errors.messages);
        } finally {
            assertTrue(runner.closeAndWait(), "both workers finish");
            ui.shutdown();
        }
    }

    /** The sample analysed as the window's first run does it. */
    private RunResult sampleRun() {
        ProjectViewModel project = new ProjectViewModel(new CoreEngine(), new CurrentThreadTaskRunner(), errors, messages);
        project.useSample(SampleModel.locate());
        project.run();
        assertNotNull(project.result());
        return project.result();
    }

    /** What a per-layer measurement does first, before the engine analyses the plan. */
    @FunctionalInterface
    private interface BeforeMeasuring {
        void accept(QuantPlan plan) throws Exception;
    }

    /** The real engine, telling {@code before} of every per-layer measurement of a hybrid before it runs. */
    private static Engine measuring(Engine real, BeforeMeasuring before) {
        return (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("analyzePlan")) {
                        before.accept((QuantPlan) args[1]);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static <T> T onUi(ExecutorService ui, java.util.concurrent.Callable<T> c) throws Exception {
        return ui.submit(c).get(2, TimeUnit.MINUTES);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
        assertTrue(condition.getAsBoolean());
    }
}
