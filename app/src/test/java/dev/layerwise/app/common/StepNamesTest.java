package dev.layerwise.app.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class StepNamesTest {

    @Test
    void theEnginesStepNamesReachTheStatusBarInTheWindowsLanguageAndUnknownOnesAsTheyAre() {
        List<String> seen = new ArrayList<>();
        CurrentThreadTaskRunner runner = new CurrentThreadTaskRunner();
        runner.status().messageProperty().addListener((o, was, now) -> seen.add(now));
        runner.status().nameSteps(StepNames.in(new Messages(Locale.SIMPLIFIED_CHINESE)));
        runner.submit(BackgroundTask.of("t", progress -> {
            progress.progress("calibrating", 3, 13);
            progress.progress("ranking layers", 1, 2);
            progress.progress("something new", 0, -1);
            return null;
        }));
        runner.status().nameSteps(StepNames.in(new Messages(Locale.ENGLISH)));
        runner.submit(BackgroundTask.of("t", progress -> {
            progress.progress("analysing", 1, 1);
            return null;
        }));
        assertEquals(List.of("t", "t · 校准 3/13", "t · 为各层排序 1/2", "t · something new", "", "t", "t · analysing 1/1", ""), seen);
    }
}
