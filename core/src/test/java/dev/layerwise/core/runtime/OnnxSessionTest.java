package dev.layerwise.core.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.layerwise.core.TestModels;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxSessionTest {

    @Test
    void aSessionFromTheModelsProtoRunsAfterItsNativeCopyIsReleasedAndMatchesOneFromBytes() throws Exception {
        OnnxModel model = TestModels.smallCnn();
        Map<String, FloatTensor> feed = Map.of("input", TestModels.smallInput(3));
        float[] fromBytes;
        try (OnnxSession s = OnnxSession.create(model.toBytes(), "bytes", OptLevel.ALL_OPT)) {
            fromBytes = s.run(feed).get("output").data();
        }
        // the serialised model lived in native memory freed when create returned; ORT must not need it
        try (OnnxSession s = OnnxSession.create(model.proto(), "proto", OptLevel.ALL_OPT)) {
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(fromBytes, s.run(feed).get("output").data());
            }
            assertEquals(10, fromBytes.length);
        }
        assertTrue(NativeMemory.releasesAtOnce(), "JDK 17 on the class path has sun.misc.Unsafe.invokeCleaner");
    }
}
