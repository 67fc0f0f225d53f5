package dev.layerwise.core.onnx;

import com.google.protobuf.ByteString;
import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.io.InputFileException;
import dev.layerwise.core.io.InputFiles;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.StringStringEntryProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * An ONNX model held in memory. External tensor data is read in when the model is loaded, so the
 * in-memory model is self-contained and can be handed to ONNX Runtime as bytes. Immutable.
 *
 * @param proto the model
 * @param source the file it was read from, or {@code null} for a model built in memory
 */
public record OnnxModel(ModelProto proto, Path source) {

    /** Reads a model and any external data files beside it. */
    public static OnnxModel load(Path file) throws ModelLoadException {
        byte[] bytes;
        try {
            bytes = InputFiles.readAllBytes(file, "model file", InputFiles.MODEL_LIMIT);
        } catch (InputFileException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        ModelProto proto;
        try {
            // the weights' bytes stay in the file's array, which nothing writes after this: protobuf
            // aliases only input it may treat as immutable, else it copies every initializer's raw data,
            // a second copy of the weights (9 MB on the sample, 45 MB on a ResNet18)
            com.google.protobuf.CodedInputStream in = com.google.protobuf.UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
            in.enableAliasing(true);
            proto = ModelProto.parseFrom(in);
        } catch (IOException e) {
            // from an array the parser throws only its InvalidProtocolBufferException, an IOException
            throw new ModelLoadException(file + ": not an ONNX model (protobuf parse failed: " + e.getMessage() + ")", e);
        }
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw new ModelLoadException(file + ": not an ONNX model (no graph or no nodes)");
        }
        if (proto.getGraph().getInputCount() == 0 || proto.getGraph().getOutputCount() == 0) {
            throw new ModelLoadException(file + ": model graph declares no inputs or no outputs");
        }
        Path dir = file.toAbsolutePath().getParent();
        proto = inlineExternalData(proto, file, dir, InputFiles.MODEL_LIMIT - bytes.length);
        return new OnnxModel(proto, file);
    }

    public static OnnxModel of(ModelProto proto) {
        return new OnnxModel(proto, null);
    }

    public GraphProto graph() {
        return proto.getGraph();
    }

    public byte[] toBytes() {
        return proto.toByteArray();
    }

    /** How messages name this model: its path, or "model" when built in memory. */
    public String label() {
        return source == null ? "model" : source.toString();
    }

    /** The model's file name, e.g. {@code shufflenetv2_x1.onnx}; "model" when built in memory. */
    public String fileLabel() {
        return source == null ? "model" : source.getFileName().toString();
    }

    /** The model's file name without extension, e.g. {@code shufflenetv2_x1}; "model" when built in memory. */
    public String baseName() {
        if (source == null) {
            return "model";
        }
        String n = source.getFileName().toString();
        return n.endsWith(".onnx") ? n.substring(0, n.length() - 5) : n;
    }

    /** Writes the model atomically; refuses to replace the file it was loaded from. */
    public void save(Path target) throws IOException {
        AtomicFiles.requireNotInput(target, source);
        AtomicFiles.write(target, out -> proto.writeTo(out));
    }

    /** Version of the default ({@code ai.onnx}) operator set, 0 when none is declared. */
    public long defaultOpset() {
        return proto.getOpsetImportList().stream()
                .filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(o -> o.getVersion()).findFirst().orElse(0);
    }

    /** @param room bytes the inlined data may add before the model outgrows one protobuf message */
    private static ModelProto inlineExternalData(ModelProto proto, Path file, Path dir, long room) throws ModelLoadException {
        long[] budget = {room};
        GraphProto g = proto.getGraph();
        boolean any = g.getInitializerList().stream().anyMatch(OnnxModel::isExternal)
                || g.getNodeList().stream().flatMap(n -> n.getAttributeList().stream()).anyMatch(a -> isExternal(a.getT()));
        if (!any) {
            return proto;
        }
        GraphProto.Builder gb = g.toBuilder();
        for (int i = 0; i < gb.getInitializerCount(); i++) {
            TensorProto t = gb.getInitializer(i);
            if (isExternal(t)) {
                gb.setInitializer(i, readExternal(t, file, dir, budget));
            }
        }
        // exporters also move large Constant-node values out of the model
        for (int i = 0; i < gb.getNodeCount(); i++) {
            var nb = gb.getNodeBuilder(i);
            for (int k = 0; k < nb.getAttributeCount(); k++) {
                if (isExternal(nb.getAttribute(k).getT())) {
                    nb.setAttribute(k, nb.getAttribute(k).toBuilder().setT(readExternal(nb.getAttribute(k).getT(), file, dir, budget)));
                }
            }
        }
        return proto.toBuilder().setGraph(gb).build();
    }

    private static boolean isExternal(TensorProto t) {
        return t.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
    }

    private static TensorProto readExternal(TensorProto t, Path file, Path dir, long[] budget) throws ModelLoadException {
        String location = null;
        long offset = 0;
        long length = -1;
        try {
            for (StringStringEntryProto e : t.getExternalDataList()) {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = Long.parseLong(e.getValue().strip());
                    case "length" -> length = Long.parseLong(e.getValue().strip());
                    default -> {
                    }
                }
            }
        } catch (NumberFormatException e) {
            throw new ModelLoadException(file + ": tensor '" + t.getName() + "' has an unreadable external offset or length: "
                    + e.getMessage());
        }
        if (location == null) {
            throw new ModelLoadException(file + ": tensor '" + t.getName() + "' is stored externally but names no location");
        }
        Path data = dir.resolve(location).normalize();
        if (!data.startsWith(dir.normalize())) {
            throw new ModelLoadException(file + ": tensor '" + t.getName() + "' points to external data '" + location
                    + "' outside the model's folder; move the data file next to the model");
        }
        try {
            // a link inside the folder may still lead out of it: compare where it really is
            Path realDir = dir.toRealPath();
            Path real = data.toRealPath();
            if (!real.startsWith(realDir)) {
                throw new ModelLoadException(file + ": tensor '" + t.getName() + "' points to external data '" + location
                        + "', a link to " + real + " outside the model's folder; copy the data file next to the model");
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ModelLoadException(file + ": external data file '" + location + "' for tensor '" + t.getName()
                    + "' not found in " + dir);
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot read external data " + data + ": " + e.getMessage(), e);
        }
        long fileLength;
        try {
            fileLength = InputFiles.requireRegular(data, "external data file", Long.MAX_VALUE);
        } catch (InputFileException e) {
            throw new ModelLoadException(file + ": tensor '" + t.getName() + "': " + e.getMessage(), e);
        }
        long len = length >= 0 ? length : fileLength - offset;
        if (offset < 0 || len < 0 || offset > fileLength || len > fileLength - offset) {
            throw new ModelLoadException(file + ": tensor '" + t.getName() + "' wants bytes " + offset + ".."
                    + (offset + len) + " of " + data + ", which has only " + fileLength);
        }
        if (len > budget[0]) {
            throw new ModelLoadException(file + ": tensor '" + t.getName() + "' holds " + InputFiles.size(len) + " in " + data
                    + "; with the rest of the model that is more than the 2 GiB ONNX Runtime takes as one model");
        }
        budget[0] -= len;
        if (len > Runtime.getRuntime().maxMemory() / 3) {
            throw new ModelLoadException(file + ": tensor '" + t.getName() + "' holds " + InputFiles.size(len) + " in " + data
                    + ", more than this Java heap can hold three times over (raise -Xmx)");
        }
        try (RandomAccessFile raf = new RandomAccessFile(data.toFile(), "r")) {
            byte[] buf = new byte[(int) len];
            raf.seek(offset);
            raf.readFully(buf);
            return t.toBuilder().clearExternalData().clearDataLocation().setRawData(ByteString.copyFrom(buf)).build();
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot read external data " + data + " for tensor '" + t.getName() + "': "
                    + e.getMessage(), e);
        }
    }
}
