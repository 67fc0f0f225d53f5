package dev.layerwise.core.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.StringStringEntryProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(file + ": model file not found");
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot read model: " + e.getMessage(), e);
        }
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException(file + ": not an ONNX model (protobuf parse failed: " + e.getMessage() + ")", e);
        }
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw new ModelLoadException(file + ": not an ONNX model (no graph or no nodes)");
        }
        if (proto.getGraph().getInputCount() == 0 || proto.getGraph().getOutputCount() == 0) {
            throw new ModelLoadException(file + ": model graph declares no inputs or no outputs");
        }
        Path dir = file.toAbsolutePath().getParent();
        proto = inlineExternalData(proto, file, dir);
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

    private static ModelProto inlineExternalData(ModelProto proto, Path file, Path dir) throws ModelLoadException {
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
                gb.setInitializer(i, readExternal(t, file, dir));
            }
        }
        // exporters also move large Constant-node values out of the model
        for (int i = 0; i < gb.getNodeCount(); i++) {
            var nb = gb.getNodeBuilder(i);
            for (int k = 0; k < nb.getAttributeCount(); k++) {
                if (isExternal(nb.getAttribute(k).getT())) {
                    nb.setAttribute(k, nb.getAttribute(k).toBuilder().setT(readExternal(nb.getAttribute(k).getT(), file, dir)));
                }
            }
        }
        return proto.toBuilder().setGraph(gb).build();
    }

    private static boolean isExternal(TensorProto t) {
        return t.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
    }

    private static TensorProto readExternal(TensorProto t, Path file, Path dir) throws ModelLoadException {
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
        try (RandomAccessFile raf = new RandomAccessFile(data.toFile(), "r")) {
            long len = length >= 0 ? length : raf.length() - offset;
            if (offset < 0 || len < 0 || offset + len > raf.length()) {
                throw new ModelLoadException(file + ": tensor '" + t.getName() + "' wants bytes " + offset + ".."
                        + (offset + len) + " of " + data + ", which has only " + raf.length());
            }
            if (len > Integer.MAX_VALUE - 8) {
                throw new ModelLoadException(file + ": tensor '" + t.getName() + "' holds " + len
                        + " bytes; tensors over 2 GiB are not supported");
            }
            byte[] buf = new byte[(int) len];
            raf.seek(offset);
            raf.readFully(buf);
            return t.toBuilder().clearExternalData().clearDataLocation().setRawData(ByteString.copyFrom(buf)).build();
        } catch (java.io.FileNotFoundException e) {
            throw new ModelLoadException(file + ": external data file '" + location + "' for tensor '" + t.getName()
                    + "' not found in " + dir);
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot read external data " + data + ": " + e.getMessage(), e);
        }
    }
}
