package dev.layerwise.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    static Path vendorCfg() throws Exception {
        return Path.of(ConfigFileTest.class.getResource("/config/vendor_step1.quantization.cfg").toURI());
    }

    @Test
    void readsTheVendorLayout() throws Exception {
        QuantConfig c = ConfigFile.read(vendorCfg());
        assertEquals("dynamic_fixed_point-i16", c.customizedLayers().get("Conv_434_142"));
        assertEquals(5, c.customizedLayers().size());
        TensorEntry out = c.parameters().get("@Conv_Conv_434_142:out0");
        assertEquals("asymmetric_affine", out.dtype());
        assertEquals(List.of(6.1823), out.maxValue());
        assertEquals(List.of(0L), out.zeroPoint());
        assertEquals("u8", out.qtype());
        TensorEntry bias = c.parameters().get("@Conv_Conv_434_142:bias");
        assertEquals(List.of(), bias.maxValue());
        assertEquals(List.of(0L), bias.zeroPoint());
        assertEquals("i32", bias.qtype());
        TensorEntry dfp = c.parameters().get("@Slice_Slice_363_148:out0");
        assertEquals(List.of(5L), dfp.fl());
        TensorEntry none = c.parameters().get("@Shape_Shape_3_7:out0");
        assertEquals("None", none.dtype());
        assertNull(none.qtype());
        assertEquals("Conv_Conv_434_142", QuantConfig.layerOf("@Conv_Conv_434_142:weight"));
        assertEquals("weight", QuantConfig.portOf("@Conv_Conv_434_142:weight"));
    }

    @Test
    void roundTripIsLossless(@TempDir Path dir) throws Exception {
        QuantConfig c = ConfigFile.read(vendorCfg());
        Path out = dir.resolve("m.quantization.cfg");
        ConfigFile.write(out, c);
        QuantConfig again = ConfigFile.read(out);
        assertEquals(c, again);
        // and the text is stable from the second write on
        assertEquals(Files.readString(out), ConfigFile.format(again));
    }

    @Test
    void writesTheVendorLayout() {
        QuantConfig c = new QuantConfig(Map.of(), Map.of("@Conv_0:out0",
                new TensorEntry("asymmetric_affine", "layer", List.of(6.1823), List.of(0.0), List.of(0L), List.of(0.024244), "u8",
                        List.of())), List.of());
        String text = ConfigFile.format(c);
        assertTrue(text.startsWith("%YAML 1.2\n---\n# add layer name"), text);
        assertTrue(text.contains("customized_quantize_layers: {}\n"), text);
        assertTrue(text.contains("    '@Conv_0:out0':\n        dtype: asymmetric_affine\n        method: layer\n        max_value:\n        -   6.1823\n"), text);
    }

    @Test
    void malformedYamlNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.cfg");
        Files.writeString(f, "customized_quantize_layers:\n    Conv_0: [unclosed\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.read(f));
        assertTrue(e.getMessage().startsWith(f + " line "), e.getMessage());
    }

    @Test
    void layerWithoutDtypeIsAnError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.cfg");
        Files.writeString(f, "%YAML 1.2\n---\ncustomized_quantize_layers:\n    Conv_0:\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.read(f));
        assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("Conv_0"), e.getMessage());
    }
    @Test
    void tabIndentIsAnErrorNamingItsOwnLine() {
        String text = "%YAML 1.2\n---\ncustom_quantize_layers:\n\tr3: float16\n";
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.parse(text, "tab.cfg"));
        assertEquals("tab.cfg line 4: not valid YAML: a tab indents this line; YAML indents with spaces only "
                + "(replace the tab with 4 spaces)", e.getMessage());
    }

    @Test
    void entriesAddedUnderAnEmptySectionAreAnErrorSayingToDeleteTheBraces() {
        String text = "custom_quantize_layers: {}\n    r3: float16\nquantize_parameters: {}\n";
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.parse(text, "b.cfg"));
        assertEquals("b.cfg line 2: not valid YAML: this entry is under 'custom_quantize_layers: {}', which says the section "
                + "is empty; delete the '{}'", e.getMessage());
    }

    @Test
    void otherYamlErrorsAreOneLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigFile.parse("custom_quantize_layers:\n    r3: [float16\n", "o.cfg"));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("o.cfg line "), e.getMessage());
    }

    @Test
    void windowsLineEndingsReadAsUnixOnes() throws Exception {
        String text = "%YAML 1.2\n---\ncustom_quantize_layers:\n    r3: float16\n    c4: int16\nquantize_parameters: {}\n";
        assertEquals(ConfigFile.parse(text, "lf.cfg"), ConfigFile.parse(text.replace("\n", "\r\n"), "crlf.cfg"));
    }
}
