package dev.layerwise.app;

import com.google.protobuf.ByteString;
import dev.layerwise.core.TestModels;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.StringStringEntryProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.tensor.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Runs the built jar as a hostile user would: broken, endless, oversized and malicious models,
 * images, arrays, lists, labels and cfgs, bad arguments, inputs placed where outputs go, device
 * text with line breaks. Every case is a separate process with {@code -Xmx1g} and a private temp
 * folder, and must keep the contract:
 * <ul>
 *   <li>exit 0 only where the input is fine after all, else 1 (failure) or 2 (usage);</li>
 *   <li>on failure, one line on stderr naming the file (or option) at fault; usage errors put the
 *       reason on the first line;</li>
 *   <li>every input byte-identical afterwards;</li>
 *   <li>no run over 10 s; peak resident memory reported (heap bounded by -Xmx1g);</li>
 *   <li>nothing left in the temp folder, no {@code /tmp/mat-debug-PID.log}.</li>
 * </ul>
 * Not a unit test (a few minutes of processes): run {@code scripts/hostile-inputs.sh}, which
 * builds the class path from the built jar and the test classes. Prints one line per case and
 * the counts; exits 1 when any case breaks the contract.
 */
public final class HostileInputs {

    private static final long TIME_LIMIT_MS = 10_000;

    private final Path jar;
    private final Path root;
    private final Path fx;
    private final List<String> failures = new ArrayList<>();
    private long peakRss;
    private long slowest;
    private int cases;

    private HostileInputs(Path jar, Path root) {
        this.jar = jar;
        this.root = root;
        this.fx = root.resolve("fx");
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "app/target/layerwise.jar").toAbsolutePath();
        Path root = Files.createTempDirectory(Path.of(args.length > 1 ? args[1] : "app/target").toAbsolutePath(), "hostile-");
        HostileInputs h = new HostileInputs(jar, root);
        h.fixtures();
        h.runAll();
        System.out.printf(Locale.ROOT, "%n%d cases, %d kept the contract, %d did not; slowest %.1f s, peak RSS %d MB%n",
                h.cases, h.cases - h.failures.size(), h.failures.size(), h.slowest / 1000.0, h.peakRss / 1024);
        h.failures.forEach(f -> System.out.println("  FAILED " + f));
        System.exit(h.failures.isEmpty() ? 0 : 1);
    }

    // ---- fixtures ----

    private Path f(String name) {
        return fx.resolve(name);
    }

    private void fixtures() throws Exception {
        Files.createDirectories(fx.resolve("img"));
        Files.createDirectories(fx.resolve("ext"));
        Files.createDirectories(fx.resolve("outside"));
        ModelProto good = TestModels.smallCnn().proto();
        Files.write(f("m.onnx"), good.toByteArray());
        StringBuilder ds = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            image(f("img/" + i + ".png"), i);
            ds.append("img/").append(i).append(".png\n");
        }
        Files.writeString(f("dataset.txt"), ds);
        Files.writeString(f("labels.txt"), String.join("\n", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")));
        fifo(f("fifo"));
        Files.createSymbolicLink(f("link-to-fifo.onnx"), f("fifo"));
        Files.write(f("empty.onnx"), new byte[0]);
        Files.writeString(f("text.onnx"), "this is not a protobuf message but plain text that goes on and on");
        byte[] g = good.toByteArray();
        Files.write(f("truncated.onnx"), java.util.Arrays.copyOf(g, g.length / 2));
        byte[] noise = new byte[1 << 20];
        new java.util.Random(7).nextBytes(noise);
        Files.write(f("noise.onnx"), noise);
        Files.write(f("nograph.onnx"), ModelProto.newBuilder().setIrVersion(8).build().toByteArray());
        GraphProto.Builder odd = good.getGraph().toBuilder();
        odd.setNode(1, odd.getNode(1).toBuilder().setOpType("WarpDrive"));
        Files.write(f("unknown-op.onnx"), good.toBuilder().setGraph(odd).build().toByteArray());
        model("dynamic.onnx", good, 1, 3, -1, -1);
        model("huge-input.onnx", good, 1, 3, 100000, 100000);
        GraphProto.Builder intIn = good.getGraph().toBuilder();
        intIn.setInput(0, Nodes.valueInfo("input", TensorProto.DataType.INT64_VALUE, 1, 3, 16, 16));
        Files.write(f("int-input.onnx"), good.toBuilder().setGraph(intIn).build().toByteArray());
        external("ext/dotdot.onnx", good, "../outside/w.bin", f("outside/w.bin"), -1);
        external("ext/link.onnx", good, "wlink.bin", f("outside/w2.bin"), -1);
        Files.createSymbolicLink(f("ext/wlink.bin"), f("outside/w2.bin"));
        external("ext/fifo.onnx", good, "wfifo.bin", null, -1);
        fifo(f("ext/wfifo.bin"));
        external("ext/missing.onnx", good, "nothere.bin", null, -1);
        external("ext/huge.onnx", good, "huge.bin", null, 2156585002L);
        sparse(f("ext/huge.bin"), 2156585002L);
        external("ext/short.onnx", good, "short.bin", null, -1);
        Files.write(f("ext/short.bin"), new byte[10]);

        // images and arrays
        Files.writeString(f("img/garbage.jpg"), "definitely not pixels");
        Files.write(f("img/empty.png"), new byte[0]);
        byte[] png = Files.readAllBytes(f("img/0.png"));
        Files.write(f("img/truncated.png"), java.util.Arrays.copyOf(png, png.length / 3));
        Files.write(f("img/huge-header.png"), pngHeader(100_000, 100_000));
        BufferedImage grayImg = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        ImageIO.write(grayImg, "png", f("img/gray.png").toFile());
        Files.write(f("img/cmyk.jpg"), dev.layerwise.core.preprocess.CmykFixtures.cmykJpeg(16, 16));
        fifo(f("img/fifo.png"));
        Files.write(f("bomb.npy"), npyHeader("<f4", "(40000, 40000)", 64));
        Files.write(f("fortran.npy"), npyHeader("<f4", "(1, 3, 16, 16), 'fortran_order': True", 3072).clone());
        Files.writeString(f("badmagic.npy"), "NUMPY but not really");
        Files.write(f("wrongshape.npy"), Npy.encode(new dev.layerwise.core.tensor.FloatTensor(new long[] {2, 5}, new float[10])));
        Files.write(f("complex.npy"), npyHeader("<c8", "(1, 3, 16, 16)", 6144));
        byte[] ok = Npy.encode(TestModels.smallInput(1));
        Files.write(f("truncated.npy"), java.util.Arrays.copyOf(ok, ok.length - 100));

        // lists
        Files.writeString(f("list-empty.txt"), "");
        Files.writeString(f("list-comments.txt"), "# nothing\n\n# here\n");
        Files.write(f("list-binary.txt"), noise);
        Files.writeString(f("list-missing-entry.txt"), "img/0.png\nimg/nothere.png\n");
        Files.writeString(f("list-fifo-entry.txt"), "img/0.png\nimg/fifo.png\n");
        Files.writeString(f("list-dev-entry.txt"), "/dev/zero\n");
        Files.writeString(f("list-folder-entry.txt"), "img\n");
        Files.writeString(f("list-quote.txt"), "\"img/0.png\n");
        Files.writeString(f("list-counts.txt"), "img/0.png\nimg/1.png img/2.png\n");
        sparse(f("list-huge.txt"), 80L << 20);
        Files.writeString(f("list-bomb-entry.txt"), "../bomb.npy\n".replace("../", ""));

        // labels and cfgs
        sparse(f("labels-huge.txt"), 20L << 20);
        Files.writeString(f("bomb.cfg"), "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n"
                + "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                + "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n");
        Files.writeString(f("java-tag.cfg"), "customized_quantize_layers: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader "
                + "[[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]\n");
        Files.writeString(f("garbage.cfg"), "customized_quantize_layers: [unclosed\n  : : :\n");
        Files.writeString(f("unknown-layer.cfg"), "customized_quantize_layers:\n  Conv_99: dynamic_fixed_point-i16\n");
        Files.write(f("binary.cfg"), noise);
    }

    private void image(Path p, int seed) throws IOException {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int v = (x * 16 + y * 7 + seed * 40) & 0xff;
                img.setRGB(x, y, (v << 16) | ((255 - v) << 8) | ((v * 3) & 0xff));
            }
        }
        ImageIO.write(img, "png", p.toFile());
    }

    private void model(String name, ModelProto base, long... shape) throws IOException {
        GraphProto.Builder g = base.getGraph().toBuilder();
        g.setInput(0, Nodes.valueInfo("input", TensorProto.DataType.FLOAT_VALUE, shape));
        Files.write(f(name), base.toBuilder().setGraph(g).build().toByteArray());
    }

    /** The first initializer stored externally at {@code location}; its bytes written to {@code dataFile} when given. */
    private void external(String name, ModelProto base, String location, Path dataFile, long length) throws IOException {
        GraphProto.Builder g = base.getGraph().toBuilder();
        TensorProto t = g.getInitializer(0);
        byte[] raw = t.getRawData().toByteArray();
        TensorProto.Builder b = t.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length")
                        .setValue(Long.toString(length >= 0 ? length : raw.length)));
        g.setInitializer(0, b);
        if (dataFile != null) {
            Files.write(dataFile, raw);
        }
        Files.write(f(name), base.toBuilder().setGraph(g).build().toByteArray());
    }

    private static void fifo(Path p) throws IOException, InterruptedException {
        if (new ProcessBuilder("mkfifo", p.toString()).start().waitFor() != 0) {
            throw new IOException("mkfifo " + p);
        }
    }

    private static void sparse(Path p, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    /** A PNG signature and IHDR declaring the size, then nothing. */
    private static byte[] pngHeader(int w, int h) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(33);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        b.putInt(13).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h);
        b.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), 12, 17);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    private static byte[] npyHeader(String descr, String shape, int dataBytes) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        if (shape.contains("fortran_order")) {
            dict = "{'descr': '" + descr + "', 'shape': " + shape + ", }";
        }
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[10 + header.length + dataBytes];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length, (byte) (header.length >> 8)};
        System.arraycopy(magic, 0, all, 0, 10);
        System.arraycopy(header, 0, all, 10, header.length);
        return all;
    }

    // ---- cases ----

    private String p(String name) {
        return f(name).toString();
    }

    private String out(String name) {
        return root.resolve("out").resolve(name).toString();
    }

    private void runAll() throws Exception {
        String m = p("m.onnx");
        String ds = p("dataset.txt");
        String img = p("img/0.png");

        // models, through the three commands that load one
        // a dynamic height and width is fine for run, which takes the image's size
        expectSuccess("run model with dynamic size", "run", p("dynamic.onnx"), "--input", img);
        List<String> badModels = List.of("nothere.onnx", "img", "fifo", "link-to-fifo.onnx", "empty.onnx", "text.onnx",
                "truncated.onnx", "noise.onnx", "nograph.onnx", "unknown-op.onnx", "huge-input.onnx",
                "int-input.onnx", "ext/dotdot.onnx", "ext/link.onnx", "ext/fifo.onnx", "ext/missing.onnx", "ext/huge.onnx",
                "ext/short.onnx");
        for (String bad : badModels) {
            String name = p(bad);
            expectFailure("analyze model " + bad, f(bad).getFileName().toString(), "analyze", name, "--dataset", ds, "-o", out("a"));
            // run feeds the image first: an input too large to feed is named by the input
            expectFailure("run model " + bad, bad.equals("huge-input.onnx") ? "model input 'input'" : f(bad).getFileName().toString(),
                    "run", name, "--input", img);
            expectFailure("hybrid-step1 model " + bad, f(bad).getFileName().toString(), "hybrid-step1", name, "--dataset", ds, "-o",
                    out("h1"));
        }
        expectFailure("analyze model dynamic.onnx", "dynamic.onnx", "analyze", p("dynamic.onnx"), "--dataset", ds, "-o", out("a"));
        for (String dev : List.of("/dev/zero", "/dev/urandom")) {
            expectFailure("analyze model " + dev, dev, "analyze", dev, "--dataset", ds, "-o", out("a"));
            expectFailure("run model " + dev, dev, "run", dev, "--input", img);
        }

        // dataset lists
        for (String list : List.of("nothere.txt", "img", "fifo", "list-empty.txt", "list-comments.txt", "list-binary.txt",
                "list-missing-entry.txt", "list-fifo-entry.txt", "list-dev-entry.txt", "list-folder-entry.txt", "list-quote.txt",
                "list-counts.txt", "list-huge.txt", "list-bomb-entry.txt")) {
            // an entry that is a hostile file is named by that file, not the list
            String named = list.equals("list-bomb-entry.txt") ? "bomb.npy" : f(list).getFileName().toString();
            expectFailure("analyze dataset " + list, named, "analyze", m, "--dataset", p(list), "-o", out("a"));
        }
        for (String dev : List.of("/dev/zero", "/dev/urandom")) {
            expectFailure("analyze dataset " + dev, dev, "analyze", m, "--dataset", dev, "-o", out("a"));
        }

        // inputs: images and arrays
        for (String in : List.of("img/nothere.png", "img", "img/fifo.png", "img/garbage.jpg", "img/empty.png", "img/truncated.png",
                "img/huge-header.png", "img/gray.png", "bomb.npy", "fortran.npy", "badmagic.npy", "wrongshape.npy", "complex.npy",
                "truncated.npy")) {
            expectFailure("run input " + in, f(in).getFileName().toString(), "run", m, "--input", p(in));
            expectFailure("analyze input " + in, f(in).getFileName().toString(), "analyze", m, "--dataset", ds, "--input", p(in),
                    "-o", out("a"));
        }
        for (String dev : List.of("/dev/zero", "/dev/urandom")) {
            expectFailure("run input " + dev, dev, "run", m, "--input", dev);
        }
        expectSuccess("run input CMYK JPEG", "run", m, "--input", p("img/cmyk.jpg"));

        // labels
        for (String l : List.of("nothere.txt", "fifo", "img", "labels-huge.txt")) {
            expectFailure("run labels " + l, f(l).getFileName().toString(), "run", m, "--input", img, "--labels", p(l));
        }
        expectFailure("run labels /dev/zero", "/dev/zero", "run", m, "--input", img, "--labels", "/dev/zero");

        // cfgs: a normal cfg first, then hostile ones
        expectSuccess("analyze (for a cfg)", "analyze", m, "--dataset", ds, "-o", out("base"));
        String cfg = root.resolve("out/base/m.quantization.cfg").toString();
        for (String c : List.of("nothere.cfg", "fifo", "bomb.cfg", "java-tag.cfg", "garbage.cfg", "unknown-layer.cfg", "binary.cfg")) {
            // the alias bomb is plain YAML with unknown keys once its aliases are bounded: refusing or ignoring it both hold
            Set<Integer> codes = c.equals("bomb.cfg") ? Set.of(0, 1) : Set.of(1);
            run("hybrid-step2 cfg " + c, codes, f(c).getFileName().toString(), "hybrid-step2", m, "--dataset", ds, "--cfg", p(c),
                    "-o", out("h2"));
            run("compare cfg " + c, codes, f(c).getFileName().toString(), "compare", m, "--dataset", ds, "--cfg", p(c), "--input",
                    img);
        }
        expectFailure("compare cfg /dev/zero", "/dev/zero", "compare", m, "--cfg", "/dev/zero", "--input", img);

        // inputs lying in -o under an output's name
        Path o = root.resolve("out/base");
        expectFailure("labels named analysis.csv in -o", "analysis.csv", "analyze", m, "--dataset", ds, "--labels",
                o.resolve("analysis.csv").toString(), "-o", o.toString());
        Files.writeString(o.resolve("entire_qnt_error_analysis.txt"), Files.readString(f("dataset.txt")).replace("img/",
                fx.resolve("img") + "/"));
        expectFailure("dataset named entire_qnt_error_analysis.txt in -o", "entire_qnt_error_analysis.txt", "analyze", m, "--dataset",
                o.resolve("entire_qnt_error_analysis.txt").toString(), "-o", o.toString());
        expectFailure("analyze --cfg in -o", "m.quantization.cfg", "analyze", m, "--dataset", ds, "--cfg", cfg, "-o", o.toString());
        Files.writeString(o.resolve("compare.json"), "a\nb\n");
        expectFailure("compare labels named compare.json", "compare.json", "compare", m, "--cfg", cfg, "--input", img, "--labels",
                o.resolve("compare.json").toString(), "-o", o.toString());
        Files.write(o.resolve("device_output.npy"), Npy.encode(TestModels.smallInput(2)));
        expectFailure("device-run input named device_output.npy", "device_output.npy", "device-run", m, "--serial",
                "direct:127.0.0.1:1", "--profile", "onnxruntime-python", "--input", o.resolve("device_output.npy").toString(), "-o",
                o.toString());
        Files.copy(f("img/0.png"), o.resolve("m.quantized.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        expectFailure("input image named like the quantized model", "m.quantized.onnx", "analyze", m, "--dataset", ds, "--input",
                o.resolve("m.quantized.onnx").toString(), "-o", o.toString());
        expectFailure("-o is a file", "dataset.txt", "analyze", m, "--dataset", ds, "-o", ds);

        // command line
        expectUsage("unknown single-dash flag", "-x", "analyze", m, "--dataset", ds, "-x", "-o", out("a"));
        expectUsage("unknown option", "--bogus", "analyze", m, "--dataset", ds, "--bogus", "-o", out("a"));
        expectUsage("second model", "unexpected argument", "analyze", m, m, "--dataset", ds, "-o", out("a"));
        expectUsage("empty -o", "-o needs a value", "analyze", m, "--dataset", ds, "-o", "");
        expectUsage("mmse-epoch -5", "--mmse-epoch", "analyze", m, "--dataset", ds, "--algorithm", "mmse", "--mmse-epoch", "-5", "-o",
                out("a"));
        expectUsage("target-cosine 2", "--target-cosine", "auto-pick", m, "--dataset", ds, "--target-cosine", "2");
        expectUsage("target-cosine NaN", "--target-cosine", "auto-pick", m, "--dataset", ds, "--target-cosine", "NaN");
        expectUsage("target-cosine Infinity", "--target-cosine", "auto-pick", m, "--dataset", ds, "--target-cosine", "Infinity");
        expectUsage("mean of two", "--mean", "analyze", m, "--dataset", ds, "--mean", "1,2", "-o", out("a"));
        expectUsage("std of four on RGB", "std", "analyze", m, "--dataset", ds, "--std", "1,2,3,4", "-o", out("a"));
        expectUsage("mean not a number", "mean", "analyze", m, "--dataset", ds, "--mean", "x,y,z", "-o", out("a"));
        expectUsage("top 0", "--top", "run", m, "--input", img, "--top", "0");
        expectUsage("threshold 7", "--threshold", "hybrid-step1", m, "--dataset", ds, "--threshold", "7", "-o", out("a"));
        expectUsage("images 0", "--images", "bench", m, "--dataset", ds, "--images", "0");
        expectUsage("port 70000", "--port", "emulator", "--port", "70000");
        expectUsage("dtype int3", "int3", "analyze", m, "--dataset", ds, "--dtype", "int3", "-o", out("a"));
        expectUsage("algorithm foo", "foo", "analyze", m, "--dataset", ds, "--algorithm", "foo", "-o", out("a"));
        expectUsage("missing --dataset", "--dataset", "analyze", m, "-o", out("a"));
        expectUsage("missing -o", "-o", "analyze", m, "--dataset", ds);
        expectUsage("unknown command", "frobnicate", "frobnicate");
        expectUsage("devices extra word", "unexpected argument", "devices", "extra");

        // device text
        expectFailure("serial with a line break", "direct:127.0.0.1:1\\nlayerwise: forged", "device-run", m, "--serial",
                "direct:127.0.0.1:1\nlayerwise: forged", "--profile", "onnxruntime-python", "--input", img, "--quiet");
    }

    // ---- one case ----

    private void expectFailure(String name, String mustName, String... args) throws Exception {
        run(name, Set.of(1), mustName, args);
    }

    private void expectUsage(String name, String mustName, String... args) throws Exception {
        run(name, Set.of(2), mustName, args);
    }

    private void expectSuccess(String name, String... args) throws Exception {
        run(name, Set.of(0), null, args);
    }

    private void run(String name, Set<Integer> codes, String mustName, String... args) throws Exception {
        cases++;
        Map<Path, String> before = hashes();
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Djava.io.tmpdir=" + tmp, "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
        pb.environment().remove("ORT_DISABLE_TELEMETRY"); // as a user runs it
        pb.environment().remove("DISPLAY");
        Path errFile = root.resolve("stderr.txt");
        pb.redirectError(errFile.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long t0 = System.nanoTime();
        long started = System.currentTimeMillis();
        Process proc = pb.start();
        proc.getOutputStream().close();
        long pid = proc.pid();
        long rss = 0;
        while (!proc.waitFor(20, TimeUnit.MILLISECONDS)) {
            rss = Math.max(rss, hwm(pid));
            if ((System.nanoTime() - t0) / 1_000_000 > TIME_LIMIT_MS * 3) {
                proc.destroyForcibly();
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        int code = proc.exitValue();
        // progress and warnings ("layerwise: loading ... took 2.1 s") are not the failure line, which names the command
        String command = args.length > 0 ? args[0] : "";
        List<String> err = Files.readAllLines(errFile).stream()
                .filter(l -> !l.startsWith("layerwise: ") || l.startsWith("layerwise: unknown command"))
                .filter(l -> !l.contains("Unsupported JavaFX configuration") && !l.contains("PlatformImpl startup")).toList();
        List<String> problems = new ArrayList<>();
        if (!codes.contains(code)) {
            problems.add("exit " + code + " (wanted " + codes + ")");
        }
        if (code != 0 && !err.isEmpty() && !err.get(0).startsWith("layerwise " + command + ": ")
                && !err.get(0).startsWith("layerwise: unknown command")) {
            problems.add("first stderr line is not the command's failure");
        }
        if (code == 1 && err.size() != 1) {
            problems.add(err.size() + " lines on stderr");
        }
        if (code != 0 && mustName != null && (err.isEmpty() || !err.get(0).contains(mustName))) {
            problems.add("first stderr line does not name '" + mustName + "'");
        }
        if (ms > TIME_LIMIT_MS) {
            problems.add(String.format(Locale.ROOT, "took %.1f s", ms / 1000.0));
        }
        Map<Path, String> after = hashes();
        for (Map.Entry<Path, String> e : before.entrySet()) {
            if (!e.getValue().equals(after.get(e.getKey()))) {
                problems.add("input changed: " + root.relativize(e.getKey()));
            }
        }
        try (Stream<Path> s = Files.list(tmp)) {
            List<Path> left = s.toList();
            if (!left.isEmpty()) {
                problems.add("left in the temp folder: " + left);
                for (Path x : left) {
                    deleteTree(x);
                }
            }
        }
        Path matLog = Path.of("/tmp/mat-debug-" + pid + ".log");
        // pids are reused: only a log written during this case is this case's
        if (Files.exists(matLog) && Files.getLastModifiedTime(matLog).toMillis() >= started - 1000) {
            problems.add("left /tmp/mat-debug-" + pid + ".log");
        }
        try (Stream<Path> s = Files.list(root.resolve("out").toFile().exists() ? root.resolve("out") : root)) {
            s.filter(x -> x.getFileName().toString().contains(".layerwise-staging-")).forEach(x -> problems.add("staging left: " + x));
        }
        peakRss = Math.max(peakRss, rss);
        slowest = Math.max(slowest, ms);
        String line = String.format(Locale.ROOT, "%-4s %-52s exit %d %5.1f s %4d MB  %s", problems.isEmpty() ? "ok" : "FAIL", name, code,
                ms / 1000.0, rss / 1024, err.isEmpty() ? "" : err.get(0));
        System.out.println(line.length() > 220 ? line.substring(0, 220) + "…" : line);
        if (!problems.isEmpty()) {
            failures.add(name + ": " + String.join("; ", problems) + (err.isEmpty() ? "" : " | " + err.get(0)));
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    /** Peak resident set of a process in KiB, from /proc. */
    private static long hwm(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process has just ended
        }
        return 0;
    }

    /** Content hashes of every regular file among the fixtures and earlier outputs (pipes and sparse giants by size). */
    private Map<Path, String> hashes() throws Exception {
        Map<Path, String> m = new TreeMap<>();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                if (p.startsWith(root.resolve("tmp")) || p.getFileName().toString().equals("stderr.txt")
                        || !Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (Files.size(p) > (8 << 20)) {
                    m.put(p, "size " + Files.size(p));
                } else {
                    m.put(p, HexFormat.of().formatHex(md.digest(Files.readAllBytes(p))));
                }
            }
        }
        return m;
    }
}
