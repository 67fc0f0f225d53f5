package dev.layerwise.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PreprocessingTest {

    private static final float[] IMAGENET_MEAN = {123.68f, 116.28f, 103.53f};

    @Test
    void noneChangesNothingForAnyChannelCount() throws PreprocessException {
        Preprocessing p = Preprocessing.none();
        assertTrue(p.isNone());
        for (int channels : new int[] {1, 3, 4}) {
            p.checkChannels(channels, "model input 'x'");
            for (int c = 0; c < channels; c++) {
                assertEquals(0f, p.meanFor(c));
                assertEquals(1f, p.stdFor(c));
                assertEquals(c, p.sourceChannel(c));
            }
        }
    }

    @Nested
    class Parse {

        @ParameterizedTest
        @ValueSource(strings = {
            "123.68,116.28,103.53",
            "123.68 116.28 103.53",
            " 123.68 , 116.28,103.53 ",
            "[[123.68, 116.28, 103.53]]",
            "[123.68,116.28,103.53]",
            "123.68,116.28,103.53,",
        })
        void acceptsCommaSpaceAndRknnBracketForms(String mean) {
            assertArrayEquals(IMAGENET_MEAN, Preprocessing.parse(mean, null, null).mean());
        }

        @ParameterizedTest
        @CsvSource(delimiter = ';', value = {
            "2 1 0; 2,1,0",
            "2,1,0; 2,1,0",
            "[2, 1, 0]; 2,1,0",
            "0 1 2; 0,1,2",
            "1 2 0 3; 1,2,0,3",
        })
        void acceptsAnyPermutationAsReorder(String reorder, String expected) {
            int[] order = java.util.Arrays.stream(expected.split(",")).mapToInt(Integer::parseInt).toArray();
            assertArrayEquals(order, Preprocessing.parse(null, null, reorder).channelOrder());
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   "})
        void nullOrBlankMeansDefault(String blank) {
            assertEquals(Preprocessing.none(), Preprocessing.parse(null, null, null));
            assertEquals(Preprocessing.none(), Preprocessing.parse(blank, blank, blank));
        }

        @ParameterizedTest
        @CsvSource(delimiter = ';', value = {
            "12,abc;        ;        ; mean '12,abc': 'abc' is not a number",
            "NaN;           ;        ; 'NaN' is not a number",
            "1e99;          ;        ; not finite",
            "1,,2;          ;        ; empty value",
            "[[1,2,3],[4,5,6]]; ;    ; several model inputs",
            "[ ];           ;        ; holds no values",
            ";              1,0,1;   ; std value 0 at position 2 would divide by zero",
            ";              -57.4;   ; negative",
            ";              ;   0 0 1; reorder '0 0 1' is not a permutation of 0..2",
            ";              ;   0 1 3; is not a permutation of 0..2",
            ";              ;   r g b; 'r' is not a channel index",
            ";              ;   -1 0;  '-1' is not a channel index",
        })
        void rejectsGarbageWithClearMessage(String mean, String std, String reorder, String expected) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Preprocessing.parse(mean, std, reorder));
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
    }

    @Nested
    class CheckChannels {

        @Test
        void namesTheCountsAndTheInput() {
            Preprocessing p = Preprocessing.parse("1,2", null, null);
            PreprocessException e = assertThrows(PreprocessException.class,
                    () -> p.checkChannels(3, "model input 'input'"));
            assertEquals("mean has 2 values but model input 'input' has 3 channels", e.getMessage());
        }

        @Test
        void stdIsCheckedToo() {
            Preprocessing p = Preprocessing.parse(null, "58,57,57", null);
            PreprocessException e = assertThrows(PreprocessException.class,
                    () -> p.checkChannels(1, "model input 'gray'"));
            assertEquals("std has 3 values but model input 'gray' has 1 channel", e.getMessage());
        }

        @Test
        void identityOrderFitsEveryChannelCount() {
            Preprocessing p = Preprocessing.parse("127.5", "127.5", "0 1 2");
            assertDoesNotThrow(() -> p.checkChannels(1, "x"));
            assertDoesNotThrow(() -> p.checkChannels(3, "x"));
            assertDoesNotThrow(() -> p.checkChannels(4, "x"));
            assertEquals(3, p.sourceChannel(3));
        }

        @Test
        void reorderingNeedsOneIndexPerChannel() {
            Preprocessing p = Preprocessing.parse(null, null, "2 1 0");
            PreprocessException e = assertThrows(PreprocessException.class,
                    () -> p.checkChannels(1, "model input 'gray'"));
            assertEquals("channel order '2 1 0' has 3 values but model input 'gray' has 1 channel", e.getMessage());
        }
    }

    @Test
    void reorderPicksSourceChannelAndMeanFollowsOutputChannel() {
        Preprocessing p = Preprocessing.parse("1,2,3", "4,5,6", "2 1 0");
        assertEquals(2, p.sourceChannel(0));
        assertEquals(0, p.sourceChannel(2));
        assertEquals(1f, p.meanFor(0));
        assertEquals(6f, p.stdFor(2));
        assertFalse(p.isNone());
    }

    @Test
    void equalityComparesArrayContents() {
        Preprocessing a = Preprocessing.parse("123.68,116.28,103.53", "58.4", "2 1 0");
        Preprocessing b = new Preprocessing(IMAGENET_MEAN.clone(), new float[] {58.4f}, new int[] {2, 1, 0});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Preprocessing.parse("123.68,116.28,103.53", "58.4", "0 1 2"));
        assertEquals("Preprocessing[mean=[123.68, 116.28, 103.53], std=[58.4], channelOrder=[2, 1, 0]]",
                a.toString());
    }

    @Test
    void arraysCannotBeChangedFromOutside() {
        float[] mean = {1f, 2f, 3f};
        Preprocessing p = new Preprocessing(mean, new float[] {1f}, new int[] {0, 1, 2});
        mean[0] = 99f;
        p.mean()[1] = 99f;
        p.channelOrder()[0] = 2;
        assertArrayEquals(new float[] {1f, 2f, 3f}, p.mean());
        assertArrayEquals(new int[] {0, 1, 2}, p.channelOrder());
    }
}
