package dev.layerwise.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void lineBreaksAndTabsBecomeBackslashEscapes() {
        assertEquals("serial\\nlayerwise: forged", Printable.of("serial\nlayerwise: forged"));
        assertEquals("a\\rb\\tc", Printable.of("a\rb\tc"));
    }

    @Test
    void terminalEscapesAndOtherControlsAreShownAsHex() {
        assertEquals("\\x1b[31mred", Printable.of("\u001b[31mred"));
        assertEquals("nul\\x00 del\\x7f", Printable.of("nul\u0000 del\u007f"));
        assertEquals("line\\u2028sep", Printable.of("line\u2028sep"));
    }

    @Test
    void plainTextIsReturnedAsIsAndNullStaysNull() {
        String s = "127.0.0.1:5555 RK3588 板子";
        assertSame(s, Printable.of(s));
        assertNull(Printable.of(null));
    }
}
