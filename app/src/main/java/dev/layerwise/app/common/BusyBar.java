package dev.layerwise.app.common;

import javafx.animation.Animation;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ObservableDoubleValue;
import javafx.util.Duration;

/**
 * A progress bar's value where "not known yet" (-1: an animated busy bar) shows as no bar until it
 * has lasted a while. The animation asks for a frame every 16 ms, each drawn and copied to the
 * screen while it runs: a tick's rebuild (~0.1 s) paid some 25 ms of its time for a bar nobody could
 * read. A longer step (opening a model, calibrating) shows it as before, a known fraction at once.
 * FX thread only.
 */
public final class BusyBar {

    private BusyBar() {
    }

    /**
     * @param progress a fraction of 0..1, or -1 while the fraction is not known
     * @param afterMillis how long -1 lasts before it is passed on (0 is shown meanwhile: no bar)
     */
    public static ObservableDoubleValue quietWhileQuick(ObservableDoubleValue progress, long afterMillis) {
        BooleanProperty lasted = new SimpleBooleanProperty(false);
        PauseTransition wait = new PauseTransition(Duration.millis(afterMillis));
        wait.setOnFinished(e -> lasted.set(true));
        Runnable follow = () -> {
            if (progress.get() < 0) {
                if (!lasted.get() && wait.getStatus() != Animation.Status.RUNNING) {
                    wait.playFromStart();
                }
            } else {
                wait.stop();
                lasted.set(false);
            }
        };
        progress.addListener((o, was, now) -> follow.run());
        follow.run();
        return Bindings.createDoubleBinding(() -> progress.get() < 0 && !lasted.get() ? 0 : progress.get(), progress, lasted);
    }
}
