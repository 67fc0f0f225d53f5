package dev.layerwise.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.quant.QuantType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Toolkit2TypesTest {

    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource({
            "w8a8, asymmetric_affine-u8",
            "w16a16i_dfp, dynamic_fixed_point-i16"
    })
    void modelledQuantizedDtypesMapBothWays(String toolkit2, String ours) {
        assertEquals(QuantType.parse(ours), Toolkit2Types.quantizedDtype(toolkit2));
        assertEquals(toolkit2, Toolkit2Types.quantizedDtypeName(QuantType.parse(ours)));
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource({
            "w8a16, 8-bit weights, 16-bit activations",
            "w16a16i, w16a16i_dfp",
            "w4a16, 4-bit weights",
            "w8a4, unknown quantized_dtype"
    })
    void unmodelledQuantizedDtypesAreRefusedWithAReason(String toolkit2, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Toolkit2Types.quantizedDtype(toolkit2));
        assertTrue(e.getMessage().contains(toolkit2), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "w8a8, asymmetric_affine-u8",
            "W16A16I_DFP, dynamic_fixed_point-i16",
            "dynamic_fixed_point-i8, dynamic_fixed_point-i8",
            "asymmetric_affine-u8, asymmetric_affine-u8"
    })
    void modelTypeAcceptsEitherToolkitsNames(String given, String ours) {
        assertEquals(QuantType.parse(ours), Toolkit2Types.modelType(given));
    }

    @Test
    void modelTypeRefusesUnmodelledAndUnknownNames() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Toolkit2Types.modelType("w4a16")).getMessage()
                .contains("4-bit weights"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Toolkit2Types.modelType("u8")).getMessage()
                .contains("RKNN-Toolkit2's w8a8, w16a16i_dfp"));
    }

    @Test
    void typesWithoutAToolkit2DtypeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Toolkit2Types.quantizedDtypeName(QuantType.DYNAMIC_FIXED_POINT_I8));
        assertThrows(IllegalArgumentException.class, () -> Toolkit2Types.quantizedDtypeName(QuantType.FLOAT16));
    }

    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource({
            "int8, asymmetric_affine-u8",
            "int16, dynamic_fixed_point-i16",
            "float16, float16"
    })
    void layerTypesMapBothWays(String toolkit2, String ours) {
        assertEquals(QuantType.parse(ours), Toolkit2Types.layerType(toolkit2));
        assertEquals(toolkit2, Toolkit2Types.layerTypeName(QuantType.parse(ours)));
    }

    @Test
    void ourOwnTypeNamesAreAcceptedInAToolkit2Cfg() {
        assertEquals(QuantType.DYNAMIC_FIXED_POINT_I16, Toolkit2Types.layerType("dynamic_fixed_point-i16"));
    }

    @Test
    void layerTypesToolkit2LacksAreRefusedNamingTheAlternative() {
        IllegalArgumentException f32 = assertThrows(IllegalArgumentException.class,
                () -> Toolkit2Types.layerTypeName(QuantType.FLOAT32));
        assertTrue(f32.getMessage().contains("pick float16"), f32.getMessage());
        IllegalArgumentException i8 = assertThrows(IllegalArgumentException.class,
                () -> Toolkit2Types.layerTypeName(QuantType.DYNAMIC_FIXED_POINT_I8));
        assertTrue(i8.getMessage().contains("pick int8"), i8.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Toolkit2Types.layerType("bfloat16"));
        assertTrue(unknown.getMessage().contains("allowed: int8, int16, float16"), unknown.getMessage());
    }

    @Test
    void methodAndAlgorithmNamesAreTheSame() {
        assertTrue(Toolkit2Types.perChannel("channel"));
        assertFalse(Toolkit2Types.perChannel("layer"));
        assertEquals("channel", Toolkit2Types.methodName(true));
        assertEquals("layer", Toolkit2Types.methodName(false));
        assertThrows(IllegalArgumentException.class, () -> Toolkit2Types.perChannel("tensor"));
        for (CalibrationAlgorithm a : CalibrationAlgorithm.values()) {
            assertEquals(a, Toolkit2Types.algorithm(a.configName()));
        }
        assertEquals(CalibrationAlgorithm.KL_DIVERGENCE, Toolkit2Types.algorithm("kl_divergence"));
    }

    @Test
    void toolkitParsesItsNumber() {
        assertEquals(Toolkit.TOOLKIT2, Toolkit.parse("2"));
        assertEquals(Toolkit.TOOLKIT1, Toolkit.parse("1"));
        assertEquals(Toolkit.TOOLKIT2, Toolkit.parse("rknn-toolkit2"));
        assertThrows(IllegalArgumentException.class, () -> Toolkit.parse("3"));
    }

    @ParameterizedTest(name = "{0} in toolkit {1}: model {2}, layer {3}")
    @CsvSource({
            "asymmetric_affine-u8,    2, w8a8,                    int8",
            "dynamic_fixed_point-i16, 2, w16a16i_dfp,             int16",
            "float16,                 2, float16,                 float16",
            // no Toolkit2 name: ours, not a wrong one
            "float32,                 2, float32,                 float32",
            "dynamic_fixed_point-i8,  2, dynamic_fixed_point-i8,  dynamic_fixed_point-i8",
            "asymmetric_affine-u8,    1, asymmetric_affine-u8,    asymmetric_affine-u8",
            "dynamic_fixed_point-i16, 1, dynamic_fixed_point-i16, dynamic_fixed_point-i16",
            "float16,                 1, float16,                 float16"
    })
    void typesArePrintedInTheToolkitsOwnWords(String type, String toolkit, String modelName, String layerName) {
        QuantType t = QuantType.parse(type);
        Toolkit k = Toolkit.parse(toolkit);
        assertEquals(modelName, k.modelTypeName(t));
        assertEquals(layerName, k.layerTypeName(t));
    }
}
