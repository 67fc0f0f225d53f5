package dev.layerwise.app.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.task.CancelledException;
import dev.layerwise.core.task.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class LocalizedProgressTest {

    @Test
    void theEnginesStepNamesReachTheStatusBarInTheWindowsLanguageAndUnknownOnesAsTheyAre() {
        List<String> seen = new ArrayList<>();
        ProgressListener bar = (step, done, total) -> seen.add(step + " " + done + "/" + total);
        ProgressListener zh = LocalizedProgress.of(bar, new Messages(Locale.SIMPLIFIED_CHINESE));
        zh.progress("calibrating", 3, 13);
        zh.progress("ranking layers", 1, 2);
        zh.progress("something new", 0, -1);
        LocalizedProgress.of(bar, new Messages(Locale.ENGLISH)).progress("analysing", 1, 1);
        assertEquals(List.of("校准 3/13", "为各层排序 1/2", "something new 0/-1", "analysing 1/1"), seen);
    }

    @Test
    void cancellingStillReachesTheEngine() throws CancelledException {
        boolean[] cancelled = {false};
        ProgressListener bar = new ProgressListener() {
            @Override
            public void progress(String step, int done, int total) {
            }

            @Override
            public boolean isCancelled() {
                return cancelled[0];
            }
        };
        ProgressListener p = LocalizedProgress.of(bar, new Messages(Locale.SIMPLIFIED_CHINESE));
        p.checkCancelled();
        cancelled[0] = true;
        assertTrue(p.isCancelled());
        assertThrows(CancelledException.class, p::checkCancelled);
    }
}
