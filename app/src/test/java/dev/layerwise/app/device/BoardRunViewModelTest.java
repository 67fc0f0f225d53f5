package dev.layerwise.app.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.common.CurrentThreadTaskRunner;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.compare.CompareColumn;
import dev.layerwise.app.compare.CompareViewModel;
import dev.layerwise.app.engine.CoreEngine;
import dev.layerwise.app.engine.Engine;
import dev.layerwise.app.layers.LayersViewModel;
import dev.layerwise.app.project.ProjectViewModel;
import dev.layerwise.app.project.RecordingErrors;
import dev.layerwise.bridge.adb.AdbExecutable;
import dev.layerwise.bridge.emulator.EmulatedDevice;
import dev.layerwise.bridge.emulator.EmulatorConfig;
import dev.layerwise.bridge.profile.ProfileRegistry;
import dev.layerwise.bridge.run.Bridge;
import dev.layerwise.core.RealWorldModels;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.tensor.FloatTensor;
import dev.layerwise.core.tensor.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Board runs of models with several outputs and of a user's {@code .rknn}, against the emulated
 * board reached directly over TCP. The emulated NPU runs a {@code .rknn} that really is an ONNX
 * model, so a copy of the analysed model renamed {@code .rknn} must match the host float model
 * exactly. Every output is checked against an ONNX Runtime run of the same model made here.
 */
class BoardRunViewModelTest {

    @TempDir
    Path dir;
    private final RecordingErrors errors = new RecordingErrors();
    private final CurrentThreadTaskRunner runner = new CurrentThreadTaskRunner();
    private final Messages messages = new Messages(Locale.ENGLISH);
    private ProjectViewModel project;
    private LayersViewModel layers;
    private CompareViewModel compare;
    private EmulatedDevice board;
    private DeviceViewModel vm;
    private final List<Path> stored = new ArrayList<>();

    /** An engine call and what it returned. */
    private record Call(String method, Object[] args, Object result) {
    }

    private final List<Call> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The real engine, with every call noted. */
    private Engine recording(Engine real) {
        return (Engine) java.lang.reflect.Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(real, args);
                        calls.add(new Call(method.getName(), args, result));
                        return result;
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    @BeforeEach
    void wire() throws Exception {
        Engine engine = recording(new CoreEngine());
        project = new ProjectViewModel(engine, runner, errors, messages);
        layers = new LayersViewModel(runner, errors, messages);
        compare = new CompareViewModel(engine, runner, errors, messages);
        project.resultProperty().addListener((o, was, now) -> layers.show(now));
        layers.onTypeChange(change -> compare.rebuild(change.run(), change.picks()));
        board = EmulatedDevice.start(EmulatorConfig.android(Files.createDirectories(dir.resolve("board"))), 0);
        DeviceBridge bridge = DeviceBridge.of(new Bridge(new Bridge.Config(new AdbExecutable(Path.of("/nonexistent/adb"),
                Map.of()), 1, Duration.ofSeconds(10), Duration.ofSeconds(3), null), ProfileRegistry.load(null)));
        vm = new DeviceViewModel(engine, bridge, runner, runner, compare, errors, messages,
                Files.createDirectories(dir.resolve("tmp")));
        vm.runs().rememberRknn(null, stored::add);
    }

    @AfterEach
    void stop() {
        board.close();
        assertEquals(List.of(), errors.messages, "device problems belong in the panel, not in dialogs");
    }

    /** Opens the model with a dataset of three tensors of {@code inputShape}, runs, ticks one layer; returns the model file. */
    private Path analyse(OnnxModel m, String tick, long... inputShape) throws Exception {
        Path model = Files.write(dir.resolve("m.onnx"), m.toBytes());
        StringBuilder ds = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            Npy.write(dir.resolve(i + ".npy"), RealWorldModels.input(i, inputShape));
            ds.append(i).append(".npy\n");
        }
        Files.writeString(dir.resolve("dataset.txt"), ds);
        project.useModel(model);
        project.run();
        assertEquals(List.of(), errors.messages);
        layers.toggle(tick);
        assertEquals(List.of(), errors.messages);
        return model;
    }

    private String connect(EmulatedDevice b) {
        String serial = Bridge.DIRECT + b.address();
        vm.addressProperty().set(serial);
        vm.connect();
        assertEquals("", vm.errorProperty().get());
        return serial;
    }

    private List<ResultLine> lines(String model) {
        return vm.results().stream().filter(l -> l.model().equals(model)).toList();
    }

    /** The first dataset tensor through {@code model} with ONNX Runtime, by output name. */
    private Map<String, FloatTensor> onHost(Path model, long... inputShape) throws Exception {
        try (OnnxSession s = OnnxSession.create(OnnxModel.load(model), "reference")) {
            return s.run(Map.of(s.inputShapes().keySet().iterator().next(), RealWorldModels.input(0, inputShape)));
        }
    }

    @Test
    void everyOutputOfADetectorIsJudgedAndOnlyItsClassVectorBecomesCompareColumns() throws Exception {
        Path model = analyse(RealWorldModels.opset9Detector(), "Conv_13", 1, 3, 32, 32);
        String serial = connect(board);
        vm.run();
        assertEquals("", vm.errorProperty().get());

        assertEquals(9, vm.results().size(), "three outputs of three models");
        Map<String, FloatTensor> reference = onHost(model, 1, 3, 32, 32);
        List<ResultLine> floatLines = lines("Float");
        assertEquals(List.of("conf", "loc", "score"), floatLines.stream().map(l -> l.output().split("  ")[0]).toList());
        for (int i = 0; i < 3; i++) {
            ResultLine l = floatLines.get(i);
            FloatTensor ref = reference.values().stream().toList().get(i);
            assertTrue(l.output().endsWith(ref.shapeText()), l.output());
            assertTrue(l.agrees(), l.toString());
            if (i < 2) {
                // not class vectors: the value range on the board, the cosine against the host
                float[] mm = ref.minMax();
                assertEquals(ref.shapeText() + "  " + String.format(Locale.ROOT, "%.4g \u2026 %.4g", mm[0], mm[1]), l.board());
                assertEquals("cos 1.000000", l.agreement());
                assertEquals("0.000", l.difference());
            } else {
                TopK top = TopK.of(ref.data(), 5, null);
                assertTrue(l.board().startsWith("[" + top.top1().index() + "] "), l.board());
                assertEquals("same", l.agreement());
            }
        }
        assertTrue(vm.results().stream().allMatch(ResultLine::agrees), vm.results().toString());

        // the Compare view's device columns are the score output's top-5, as its host columns
        for (String m : List.of("float", "normal", "hybrid")) {
            CompareColumn dev = compare.column("device-" + m);
            assertEquals(compare.column(m).entries().stream().map(CompareColumn.Entry::index).toList(),
                    dev.entries().stream().map(CompareColumn.Entry::index).toList(), m);
            assertEquals(3, dev.entries().size(), "score has three classes");
        }
        assertTrue(vm.runMessageProperty().get().contains("agrees with the host for 3"), vm.runMessageProperty().get());
        assertTrue(vm.runMessageProperty().get().contains(serial), vm.runMessageProperty().get());
    }

    /** The three models of the detector with three outputs on the board; the engine calls of the run alone noted. */
    private void runTheDetectorWithCallsNoted() throws Exception {
        analyse(RealWorldModels.opset9Detector(), "Conv_13", 1, 3, 32, 32);
        connect(board);
        calls.clear();
        vm.run();
        assertEquals("", vm.errorProperty().get());
    }

    @Test
    void eachQuantizedModelIsBuiltOnceForTheHostsRunAndTheBoardsFile() throws Exception {
        runTheDetectorWithCallsNoted();

        List<Call> built = calls("quantizedModel");
        assertEquals(2, built.size(), "the normal and the hybrid model, once each");
        List<Object> models = built.stream().map(Call::result).toList();
        // the host ran and the board got exactly those builds: float (null), normal, hybrid
        List<Object> ranOnHost = calls("outputs").stream().map(c -> c.args()[1]).toList();
        assertEquals(3, ranOnHost.size());
        assertNull(ranOnHost.get(0));
        assertSame(models.get(0), ranOnHost.get(1));
        assertSame(models.get(1), ranOnHost.get(2));
        List<Object> written = calls("exportQuantized").stream().map(c -> c.args()[1]).toList();
        assertEquals(2, written.size());
        assertSame(models.get(0), written.get(0));
        assertSame(models.get(1), written.get(1));
    }

    @Test
    void aLanguageSwitchRewordsTheKeptJudgementWithoutComparingTheOutputsAgain() throws Exception {
        runTheDetectorWithCallsNoted();
        List<ResultLine> english = List.copyOf(vm.results());
        assertEquals(9, english.size());
        assertTrue(english.stream().allMatch(ResultLine::agrees), english.toString());

        // were the outputs compared again, the host's float outputs, zeroed here, would no longer agree
        Map<?, ?> hostFloat = (Map<?, ?>) calls("outputs").get(0).result();
        for (Object t : hostFloat.values()) {
            java.util.Arrays.fill(((FloatTensor) t).data(), 0f);
        }
        messages.setLocale(Locale.SIMPLIFIED_CHINESE);
        vm.relabel();

        List<ResultLine> chinese = List.copyOf(vm.results());
        assertEquals(english.size(), chinese.size());
        assertEquals(List.of("\u6d6e\u70b9", "\u666e\u901a\u91cf\u5316", "\u6df7\u5408\u91cf\u5316"),
                chinese.stream().map(ResultLine::model).distinct().toList(), "the models' names in Chinese");
        for (int i = 0; i < english.size(); i++) {
            ResultLine en = english.get(i);
            ResultLine zh = chinese.get(i);
            assertTrue(zh.agrees(), zh.toString());
            assertEquals(en.output(), zh.output());
            assertEquals(en.board(), zh.board());
            assertEquals(en.difference(), zh.difference());
            assertEquals(en.agreement().replace("cos ", "\u4f59\u5f26 ").replace("same", "\u4e00\u81f4"), zh.agreement());
        }
    }

    @Test
    void aDetectorWithoutAClassVectorRunsOnTheBoardWithoutTop5Columns() throws Exception {
        analyse(RealWorldModels.detector(48, 64, 4), "stage2", 1, 3, 48, 64);
        connect(board);
        vm.run();
        assertEquals("", vm.errorProperty().get());
        assertEquals(9, vm.results().size());
        assertTrue(vm.results().stream().noneMatch(l -> l.board().startsWith("[")), "no top-1 of a box map");
        assertTrue(vm.results().stream().allMatch(l -> l.agreement().equals("cos 1.000000")), vm.results().toString());
        assertEquals(List.of(), compare.columns(), "no top-5 columns");
        assertTrue(vm.runMessageProperty().get().contains("No output is a class vector"), vm.runMessageProperty().get());
    }

    @Test
    void aRknnFileRunsWithRknnLite2AndIsSetAgainstTheThreeHostModels() throws Exception {
        Path model = analyse(RealWorldModels.opset9Detector(), "Conv_13", 1, 3, 32, 32);
        // the emulated NPU runs ONNX: the float model as a .rknn must match the host float model exactly
        Path rknn = Files.copy(model, dir.resolve("m.rknn"));
        String serial = connect(board);
        assertFalse(vm.profileProperty().get().rknn());
        vm.chooseRknn(rknn);
        assertEquals("rknn-lite2", vm.profileProperty().get().name(), "choosing a .rknn picks its profile");
        assertEquals(List.of(rknn), stored, "the choice is remembered");
        assertTrue(vm.runnableProperty().get());
        vm.run();
        assertEquals("", vm.errorProperty().get());

        List<ResultLine> vsFloat = lines("m.rknn \u2194 Float");
        assertEquals(3, vsFloat.size(), vm.results().toString());
        assertTrue(vsFloat.stream().allMatch(ResultLine::agrees));
        assertEquals(List.of("0.000", "0.000", "0.000000"), vsFloat.stream().map(ResultLine::difference).toList());
        assertEquals(3, lines("m.rknn \u2194 Normal").size());
        assertEquals(3, lines("m.rknn \u2194 Hybrid").size());
        assertTrue(vm.runMessageProperty().get().startsWith("Ran m.rknn on " + serial), vm.runMessageProperty().get());
        assertTrue(compare.columns().stream().noneMatch(CompareColumn::device), "a .rknn is not one of the Compare models");
    }

    @Test
    void aFileThatIsNotRknnIsRefusedNamingIt() throws Exception {
        Path model = analyse(RealWorldModels.opset7Classifier(), "conv1", 1, 3, 32, 32);
        vm.chooseRknn(model);
        assertEquals(model + " is not a .rknn file; profile rknn-lite2 runs models built by RKNN-Toolkit2 (.rknn).",
                vm.errorProperty().get());
        assertNull(vm.rknnFileProperty().get());
        assertEquals(List.of(), stored);

        connect(board);
        vm.profileProperty().set(vm.profiles().stream().filter(p -> p.name().equals("rknn-lite2")).findFirst().orElseThrow());
        assertFalse(vm.runnableProperty().get(), "no .rknn chosen yet");
        vm.run();
        assertTrue(vm.errorProperty().get().startsWith("Profile rknn-lite2 runs a .rknn file: choose one"), vm.errorProperty().get());
    }

    @Test
    void aRknnBuiltForAnotherInputSizeFailsNamingFileAndInput() throws Exception {
        analyse(RealWorldModels.opset7Classifier(), "conv1", 1, 3, 32, 32);
        Path other = Files.write(dir.resolve("other.rknn"), RealWorldModels.detector(48, 64, 4).toBytes());
        connect(board);
        vm.chooseRknn(other);
        vm.run();
        String e = vm.errorProperty().get();
        assertTrue(e.startsWith("other.rknn did not run on the board: device direct:"), e);
        assertTrue(e.contains("The input sent is 1x3x32x32"), e);
        assertTrue(vm.results().isEmpty());
    }

    @Test
    void aBoardWithoutRknnLite2SaysWhatToInstall() throws Exception {
        Path model = analyse(RealWorldModels.opset7Classifier(), "conv1", 1, 3, 32, 32);
        Path rknn = Files.copy(model, dir.resolve("m.rknn"));
        try (EmulatedDevice plain = EmulatedDevice.start(EmulatorConfig.linux(Files.createDirectories(dir.resolve("plain"))), 0)) {
            String serial = connect(plain);
            vm.chooseRknn(rknn);
            vm.run();
            String e = vm.errorProperty().get();
            assertTrue(e.startsWith("m.rknn did not run on the board: device " + serial), e);
            assertTrue(e.contains("cannot import rknnlite") && e.contains("rknn_toolkit_lite2"), e);
        }
    }
}
