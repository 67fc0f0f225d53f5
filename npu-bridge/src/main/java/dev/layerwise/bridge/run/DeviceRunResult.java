package dev.layerwise.bridge.run;

import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.tensor.FloatTensor;
import java.time.Duration;
import java.util.List;

/**
 * What a device run produced. The top-k is computed on the host with {@link TopK#of} from the raw
 * output, exactly as for host runs, so scores compare across sources. Immutable.
 *
 * @param device serial of the device
 * @param deviceModel model name from discovery, may be {@code null}
 * @param profile profile name
 * @param output the model's first output as the device computed it
 * @param top best classes
 * @param log what the runner printed (capped at 1 MiB)
 * @param pushTime time spent pushing and verifying files
 * @param runTime wall time of the runner command on the device (process start included)
 * @param warnings things that did not stop the run
 */
public record DeviceRunResult(String device, String deviceModel, String profile, FloatTensor output, TopK top, String log,
        Duration pushTime, Duration runTime, List<String> warnings) {

    public DeviceRunResult {
        warnings = List.copyOf(warnings);
    }
}
