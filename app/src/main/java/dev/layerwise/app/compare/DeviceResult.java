package dev.layerwise.app.compare;

import dev.layerwise.core.runtime.TopK;

/**
 * One model's result on a board, as the Compare view shows it. Immutable.
 *
 * @param serial the device
 * @param deviceModel the board's model name, or {@code null}
 * @param model {@code float}, {@code normal} or {@code hybrid}
 * @param top5 top-5 computed on the host from the board's raw output, as for host results
 * @param profile runner profile name
 * @param pushMillis time spent pushing and verifying files
 * @param runMillis wall time of the runner command on the board
 */
public record DeviceResult(String serial, String deviceModel, String model, TopK top5, String profile, long pushMillis, long runMillis) {
}
