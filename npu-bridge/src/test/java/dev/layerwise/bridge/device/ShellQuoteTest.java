package dev.layerwise.bridge.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ShellQuoteTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "/data/local/tmp/model.onnx | /data/local/tmp/model.onnx",
        "my model.onnx              | 'my model.onnx'",
        "it's                       | 'it'\\''s'",
        "a;rm -rf /                 | 'a;rm -rf /'",
        "$(reboot)                  | '$(reboot)'",
        "`id`                       | '`id`'",
        "\"\"                       | ''",
    })
    void wordsWithShellSyntaxAreSingleQuoted(String word, String quoted) {
        assertEquals(quoted, ShellQuote.quote(word));
    }

    @Test
    void joinQuotesEachWord() {
        assertEquals("ls 'a b' c", ShellQuote.join(List.of("ls", "a b", "c")));
    }

    @Test
    void nulCannotBeQuoted() {
        assertThrows(IllegalArgumentException.class, () -> ShellQuote.quote("a\0b"));
    }

    @Test
    void statesMapToHints() {
        assertEquals(DeviceState.UNAUTHORIZED, DeviceState.parse("unauthorized"));
        assertEquals(DeviceState.NO_PERMISSIONS, DeviceState.parse("no permissions (udev); see [x]"));
        assertEquals(DeviceState.OTHER, DeviceState.parse("recovery"));
        assertEquals(DeviceState.DEVICE, DeviceState.parse("device"));
    }

    @Test
    void freeSpaceIsReadFromToyboxBusyboxAndGnuDf() {
        assertEquals(48086648, DeviceProbe.freeKiB("Filesystem 1K-blocks Used Available Use% Mounted on\n"
                + "/dev/block/dm-5 51290592 3203944 48086648 7% /data"));
        assertEquals(25697100, DeviceProbe.freeKiB("Filesystem 1K-blocks Used Available Use% Mounted on\n"
                + "/dev/mmcblk0p8\n 28704108 1502348 25697100 6% /userdata"));
        assertEquals(-1, DeviceProbe.freeKiB("df: /userdata: No such file or directory"));
    }
}
