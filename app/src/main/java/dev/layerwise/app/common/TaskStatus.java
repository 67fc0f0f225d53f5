package dev.layerwise.app.common;

import java.util.function.UnaryOperator;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * What the status bar shows: the running task's title, step and progress, and a way to cancel
 * it. Updated on the UI thread only.
 */
public final class TaskStatus {

    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final StringProperty message = new SimpleStringProperty("");
    // -1 = indeterminate, as ProgressBar understands it
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private TaskHandle current = TaskHandle.NONE;
    private int active;
    private UnaryOperator<String> stepNames = UnaryOperator.identity();

    /**
     * How a step is named in the status bar. The engine names its steps in English ("calibrating"),
     * as the command line prints them; the composition root gives the window's names
     * ({@link StepNames#in}), so every task's steps are shown in its language, whoever submits it.
     */
    public void nameSteps(UnaryOperator<String> names) {
        stepNames = names;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress;
    }

    public boolean isRunning() {
        return running.get();
    }

    void started(TaskHandle handle, String title) {
        active++;
        current = handle;
        running.set(true);
        message.set(title);
        progress.set(-1);
    }

    void progressed(TaskHandle handle, String title, String step, int done, int total) {
        if (handle != current) {
            return;
        }
        message.set(title + " · " + stepNames.apply(step) + (total > 0 ? " " + done + "/" + total : ""));
        progress.set(total > 0 ? (double) done / total : -1);
    }

    void finished(TaskHandle handle) {
        active = Math.max(0, active - 1);
        if (handle == current || active == 0) {
            running.set(active > 0);
            if (active == 0) {
                message.set("");
                progress.set(0);
                current = TaskHandle.NONE;
            }
        }
    }

    /** Cancels the task the status bar shows. */
    public void cancel() {
        current.cancel();
    }
}
