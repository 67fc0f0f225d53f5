package dev.layerwise.app.cli;

import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.Calibrator;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.preprocess.Dataset;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code bench}: the performance figures DESIGN.md sets targets for. */
public final class BenchCommand implements CliCommand, OptionSpec {

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure inference, calibration and analysis speed and peak heap";
    }

    @Override
    public String usage() {
        return """
                usage: layerwise bench [MODEL] [--dataset FILE] [options]
                  MODEL                 float ONNX model (default: the bundled sample)
                  --dataset FILE        calibration list (default for the sample: its dataset.txt)
                  --images N            calibration images for the flow figure (default 12; the dataset is cycled)
                  --repeat N            timed repetitions per figure (default 20)
                  --rebuilds N          hybrid rebuilds for the heap-growth figure (default 50; DESIGN.md asks 1000)
                  --mean, --std, --reorder   preprocessing, as for analyze
                  --per-channel         weights per output channel (RKNN-Toolkit2's default) in every plan
                  --toolkit 1|2         as for analyze: 2 means per-channel weights and ticks to float16, and with
                                        --workbench opens the sample as an RKNN-Toolkit2 workspace
                  --workbench           instead: open the real window on the sample (needs a display) and time
                                        launch -> window, launch -> filled Layers table, and --ticks N ticks
                                        (default 9) from the click to the hybrid's numbers on screen
                  --first-tick-after MS with --workbench: click the first tick MS ms after the table is filled, as a
                                        person would (default 0: in the frame that shows it)
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        Set<String> s = new HashSet<>(CommonOptions.PREPROCESS);
        s.addAll(Set.of("dataset", "images", "repeat", "rebuilds", "ticks", "first-tick-after", "toolkit"));
        return s;
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("workbench", "per-channel");
    }

    @Override
    public int run(Args a, PrintStream out, PrintStream err) throws Exception {
        if (a.flag("workbench")) {
            return workbench(a, out, err);
        }
        Path modelFile = CommonOptions.model(a);
        Path datasetFile = a.path("dataset");
        if (datasetFile == null && SampleModel.isSample(modelFile)) {
            datasetFile = modelFile.getParent().resolve("dataset.txt");
        }
        if (datasetFile == null) {
            throw new UsageException("missing --dataset");
        }
        int images = a.intValue("images", 12, 1, Integer.MAX_VALUE);
        Toolkit toolkit = Prepared.toolkit(a);
        boolean perChannel = a.flag("per-channel") || toolkit == Toolkit.TOOLKIT2;
        // the promotion a tick makes: each toolkit's usual one, as the workbench's
        QuantType promote = Prepared.promoteType(a, "promote-to");
        int repeat = a.intValue("repeat", 20, 1, Integer.MAX_VALUE);
        a.intValue("rebuilds", 50, 0, Integer.MAX_VALUE);
        Preprocessing pre = CommonOptions.preprocessing(a, modelFile);
        List<Sample> all = Dataset.load(datasetFile);
        List<Sample> calib = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            calib.add(all.get(i % all.size()));
        }
        out.printf(Locale.ROOT, "model %s, %d cores, java %s, toolkit %s, weights per %s%n", modelFile, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), toolkit, perChannel ? "channel" : "tensor");

        LiveHeap live = LiveHeap.watch();
        // on a shared machine wall times stretch; process CPU time (every thread, ORT's included) shows the work
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        Project project = Project.open(modelFile);
        long openMs = ms(t0);
        long openCpu = (cpuNanos() - c0) / 1_000_000;
        long i0 = System.nanoTime();
        long ic0 = cpuNanos();
        dev.layerwise.core.runtime.ModelImport.open(modelFile, dev.layerwise.core.onnx.InputShapes.NONE, w -> { });
        long importMs = ms(i0);
        long importCpu = (cpuNanos() - ic0) / 1_000_000;
        SampleSource source = project.samples(calib, pre, w -> { });
        Map<String, FloatTensor> feed = source.load(0);
        out.printf(Locale.ROOT, "open model + layer probe            %8.1f ms (%d layers), cpu %d ms%n", (double) openMs,
                project.graph().layers().size(), openCpu);
        out.printf(Locale.ROOT, "  of which model import (fp16, opset, sizes) %5d ms, cpu %d ms%n", importMs, importCpu);
        // read on this thread: its own CPU clock counts in nanoseconds, the process's in scheduler ticks
        int loads = Math.max(5, Math.min(20, repeat));
        java.lang.management.ThreadMXBean thread = ManagementFactory.getThreadMXBean();
        long l0 = System.nanoTime();
        long lc0 = thread.getCurrentThreadCpuTime();
        for (int i = 0; i < loads; i++) {
            source.load(i % source.size());
        }
        double load = (System.nanoTime() - l0) / 1e6 / loads;
        out.printf(Locale.ROOT, "load + preprocess one image         %8.2f ms, cpu %.2f ms (mean of %d)%n", load,
                (thread.getCurrentThreadCpuTime() - lc0) / 1e6 / loads, loads);

        double plain;
        double exposed;
        try (OnnxSession s = OnnxSession.create(project.model(), "float")) {
            plain = medianMs(repeat, () -> s.run(feed));
        }
        try (OnnxSession s = OnnxSession.create(Calibrator.withQuantTensorsExposed(project.graph()), "exposed")) {
            exposed = medianMs(repeat, () -> s.run(feed));
        }
        out.printf(Locale.ROOT, "float inference                     %8.2f ms (median of %d)%n", plain, repeat);
        out.printf(Locale.ROOT, "float inference, all layers exposed %8.2f ms%n", exposed);

        // the DESIGN.md flow: calibrate N images + u8 plan + entire and individual analysis of one image
        SampleSource one = project.samples(List.of(calib.get(0)), pre, w -> { });
        double[] flow = new double[5];
        int flowRuns = Math.max(3, repeat / 4);
        double[] totals = new double[flowRuns];
        AnalysisResult last = null;
        Calibration cal = null;
        long[] flowCpu = new long[2];
        for (int r = 0; r < flowRuns; r++) {
            long fc0 = cpuNanos();
            long f0 = System.nanoTime();
            cal = project.calibrate(source, CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0, ProgressListener.NONE);
            long f1 = System.nanoTime();
            long fc1 = cpuNanos();
            QuantPlan plan = project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of(), perChannel);
            long f2 = System.nanoTime();
            long fc2 = cpuNanos();
            last = project.analyze(plan, CalibrationAlgorithm.NORMAL, one, null, null, ProgressListener.NONE);
            long f3 = System.nanoTime();
            flowCpu[0] = (fc1 - fc0) / 1_000_000;
            flowCpu[1] = (cpuNanos() - fc2) / 1_000_000;
            totals[r] = (f3 - f0) / 1e6;
            if (r == flowRuns - 1) {
                flow[0] = (f1 - f0) / 1e6;
                flow[1] = (f2 - f1) / 1e6;
                flow[2] = last.timing().buildMillis();
                flow[3] = last.timing().sessionMillis();
                flow[4] = last.timing().runMillis();
            }
        }
        // the first flow creates the project's calibration and float sessions, later ones reuse them
        double[] sorted = totals.clone();
        Arrays.sort(sorted);
        out.printf(Locale.ROOT, "calibration, %d images               %8.1f ms (%.1f images/s, image loading included), cpu %d ms%n",
                images, flow[0], images / (flow[0] / 1000), flowCpu[0]);
        out.printf(Locale.ROOT, "quantization plan                   %8.1f ms%n", flow[1]);
        out.printf(Locale.ROOT, "analysis graph build                %8.1f ms%n", flow[2]);
        out.printf(Locale.ROOT, "analysis session creation           %8.1f ms%n", flow[3]);
        out.printf(Locale.ROOT, "analysis run, 1 image               %8.1f ms (%.1fx one float inference)%n", flow[4],
                flow[4] / plain);
        // what one more image costs: the runs of five inputs against those of one (the sessions' closing, which
        // the one-image figure holds, cancels out); image loading and preprocessing included
        QuantPlan u8 = project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of(), perChannel);
        List<Sample> fiveSamples = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fiveSamples.add(calib.get(i % calib.size()));
        }
        SampleSource five = project.samples(fiveSamples, pre, w -> { });
        double[] ones = new double[3];
        double[] fives = new double[3];
        for (int r = 0; r < 3; r++) {
            ones[r] = project.analyze(u8, CalibrationAlgorithm.NORMAL, one, null, null, ProgressListener.NONE).timing().runMillis();
            fives[r] = project.analyze(u8, CalibrationAlgorithm.NORMAL, five, null, null, ProgressListener.NONE).timing().runMillis();
        }
        Arrays.sort(ones);
        Arrays.sort(fives);
        double further = (fives[1] - ones[1]) / 4;
        out.printf(Locale.ROOT, "analysis (build + session + run)    cpu %d ms%n", flowCpu[1]);
        // a small model's inference is shorter than reading its input: the ratio without the reading says what the analysis costs
        out.printf(Locale.ROOT, "analysis, each further image        %8.1f ms (%.1fx one float inference; runs of 5 inputs"
                + " against 1, medians of 3, image loading included; without the %.2f ms of loading an image %.1fx)%n",
                further, further / plain, load, Math.max(0, further - load) / plain);
        out.printf(Locale.ROOT, "flow total (calibrate %d + u8 + analyse 1), median of %d: %.1f ms (min %.1f, first %.1f)%n",
                images, flowRuns, sorted[sorted.length / 2], sorted[0], totals[0]);

        // a tick in the workbench: one layer changes type, the hybrid is rebuilt and compared three ways
        Calibration calibrated = cal;
        QuantPlan normal = project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of(), perChannel);
        String worst = last.layers().stream().min((x, y) -> Double.compare(x.individual().cosine(), y.individual().cosine()))
                .orElseThrow().name();
        SampleSource main = project.samples(List.of(all.get(0)), pre, w -> { });
        double tick = medianMs(Math.max(3, repeat / 4), () -> {
            QuantPlan hybrid = project.plan(calibrated, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(worst, promote),
                    Map.of(), perChannel);
            project.compare(normal, hybrid, main, null, ProgressListener.NONE);
        });
        out.printf(Locale.ROOT, "tick %s -> %s, rebuild + 3-way top-5 %8.1f ms (median)%n", worst, promote.qtype(), tick);

        int rebuilds = a.intValue("rebuilds", 50);
        double before = usedHeapAfterGcMiB();
        double warm = before;
        List<String> names = project.graph().layerNames();
        // the weight cache fills once per layer and type; after one pass over the layers the heap must stay flat
        int warmAt = Math.min(rebuilds, names.size());
        for (int i = 0; i < rebuilds; i++) {
            if (i == warmAt) {
                warm = usedHeapAfterGcMiB();
            }
            QuantPlan hybrid = project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8,
                    Map.of(names.get(i % names.size()), promote), Map.of(), perChannel);
            project.compare(normal, hybrid, main, null, ProgressListener.NONE);
        }
        double after = usedHeapAfterGcMiB();
        out.printf(Locale.ROOT, "heap after GC: %.1f MiB before, %.1f MiB after %d rebuilds (weight cache full), %.1f MiB after %d%n",
                before, warm, warmAt, after, rebuilds);
        out.printf(Locale.ROOT, "peak heap                           %8.1f MiB (max heap %.0f MiB; garbage not yet collected included)%n",
                peakHeapMiB(), Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0));
        out.printf(Locale.ROOT, "peak heap after a GC (live data)    %8.1f MiB (largest heap left by any of %d collections)%n",
                live.peakMiB(), live.collections());
        return 0;
    }

    /** {@code --workbench}: the window's figures, in a process of their own (JVM start is part of them). */
    private static int workbench(Args a, PrintStream out, PrintStream err) throws Exception {
        int ticks = a.intValue("ticks", 9, 1, 1000);
        int firstTickAfter = a.intValue("first-tick-after", 0, 0, 60_000);
        String missing = dev.layerwise.app.Launcher.noDisplay(System.getenv(), System.getProperty("os.name", ""),
                System.getProperty("glass.platform"));
        if (missing != null) {
            err.println(missing);
            return 1;
        }
        if (SampleModel.locate() == null) {
            throw new UsageException("--workbench opens the bundled sample (" + SampleModel.RELATIVE + "), which was not found");
        }
        Toolkit toolkit = Prepared.toolkit(a);
        Path settings = java.nio.file.Files.createTempDirectory("layerwise-bench-settings");
        try {
            // RKNN-Toolkit2: the sample opened as a workspace of that toolkit, as a Toolkit2 user's own would open
            Path open = toolkit == Toolkit.TOOLKIT2 ? sampleWorkspace(settings, toolkit) : null;
            out.print(dev.layerwise.app.WorkbenchTiming.describe(
                    dev.layerwise.app.WorkbenchTiming.measure(ticks, settings, firstTickAfter, 300, open)));
        } finally {
            try (var files = java.nio.file.Files.walk(settings)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return 0;
    }

    /** A workspace in {@code dir} holding the sample with the sidebar's defaults for it, in {@code toolkit}. */
    private static Path sampleWorkspace(Path dir, Toolkit toolkit) throws java.io.IOException {
        dev.layerwise.app.project.SidebarFields sample = new dev.layerwise.app.project.SidebarFields(null, null, null, "", "", "",
                "", QuantType.ASYMMETRIC_AFFINE_U8, CalibrationAlgorithm.NORMAL, toolkit).withSample(SampleModel.locate());
        Path file = dir.resolve("sample" + dev.layerwise.app.workspace.Workspace.SUFFIX);
        dev.layerwise.app.workspace.Workspace.of(sample).write(file);
        return file;
    }

    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    static double medianMs(int repeat, Work w) throws Exception {
        for (int i = 0; i < 3; i++) {
            w.run();
        }
        double[] t = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long s = System.nanoTime();
            w.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return t[repeat / 2];
    }

    /** CPU time of the whole process (all threads, native ones included), in nanoseconds. */
    static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    static double usedHeapAfterGcMiB() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / (1024.0 * 1024.0);
    }

    /**
     * The largest heap any collection left behind: what the program kept, as opposed to the peak
     * of the memory pools, which counts garbage the collector had not yet needed to reclaim (with
     * a large default heap, G1 lets the young generation grow to hundreds of MiB first).
     */
    static final class LiveHeap {
        private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

        static LiveHeap watch() {
            LiveHeap h = new LiveHeap();
            Set<String> heapPools = new HashSet<>();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof javax.management.NotificationEmitter emitter) {
                    emitter.addNotificationListener((n, hb) -> {
                        if (com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                            var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                                    (javax.management.openmbean.CompositeData) n.getUserData());
                            long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                                    .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
                            h.peak.accumulateAndGet(used, Math::max);
                            h.count.incrementAndGet();
                        }
                    }, null, null);
                }
            }
            return h;
        }

        double peakMiB() {
            return peak.get() / (1024.0 * 1024.0);
        }

        int collections() {
            return count.get();
        }
    }

    static double peakHeapMiB() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum / (1024.0 * 1024.0);
    }
}
