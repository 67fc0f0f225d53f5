package dev.layerwise.app.device;

import dev.layerwise.app.common.Messages;
import dev.layerwise.bridge.device.Step;
import dev.layerwise.bridge.run.DeviceProgress;
import dev.layerwise.bridge.run.DeviceWorkflow;
import dev.layerwise.core.task.ProgressListener;
import java.util.Locale;

/**
 * Bridge progress as task progress: one unit per model, and a step a person reads ("hybrid model
 * (3 of 3): running on the board"), not the bridge's command line, which stays in the log.
 */
final class BoardProgress implements DeviceWorkflow.Progress {
    private final ProgressListener task;
    private final Messages messages;
    private final java.util.function.UnaryOperator<String> title;

    /** @param title the model's name as the panel shows it */
    BoardProgress(ProgressListener task, Messages messages, java.util.function.UnaryOperator<String> title) {
        this.task = task;
        this.messages = messages;
        this.title = title;
    }

    @Override
    public DeviceProgress board(String model, int index, int count) {
        String name = title.apply(model);
        return new DeviceProgress() {
            @Override
            public void step(Step step, String message) {
                String key = "device.step." + step.name().toLowerCase(Locale.ROOT);
                String what = messages.has(key) ? messages.get(key) : step.label();
                task.progress(messages.get("device.step", name, index + 1, count, what), index, count);
            }

            @Override
            public void transfer(String file, long done, long total) {
                // a callback per chunk; report whole tenths only
                if (total > 0 && (done == total || (done * 10 / total) != ((done - 1) * 10 / total))) {
                    task.progress(messages.get("device.step", name, index + 1, count,
                            messages.get("device.step.transfer", file, done * 100 / total)), index, count);
                }
            }
        };
    }
}
