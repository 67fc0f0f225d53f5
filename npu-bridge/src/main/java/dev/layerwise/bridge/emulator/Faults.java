package dev.layerwise.bridge.emulator;

/**
 * Fault injection for tests, changed while the device runs. One-shot faults (drops) clear
 * themselves when they fire, so the next run works. Thread-safe.
 */
public final class Faults {

    private volatile boolean unauthorized;
    private volatile long dropAfterPushedBytes = -1;
    private volatile String dropOnCommand;
    private volatile String hangOnCommand;
    private volatile boolean garbageOutput;
    private volatile boolean runnerMissing;
    private volatile long reportedFreeBytes = -1;

    /** Answer every connection with an AUTH challenge that is never satisfied. */
    public Faults unauthorized(boolean on) {
        unauthorized = on;
        return this;
    }

    /** Cut the connection once a push has received more than {@code bytes} (once). */
    public Faults dropAfterPushedBytes(long bytes) {
        dropAfterPushedBytes = bytes;
        return this;
    }

    /** Cut the connection when a shell command containing {@code text} starts (once). */
    public Faults dropOnCommand(String text) {
        dropOnCommand = text;
        return this;
    }

    /** Make shell commands containing {@code text} never finish (until the stream closes). */
    public Faults hangOnCommand(String text) {
        hangOnCommand = text;
        return this;
    }

    /** The runner prints garbage and writes garbage instead of an .npy file. */
    public Faults garbageOutput(boolean on) {
        garbageOutput = on;
        return this;
    }

    /** The runner (python3 and the NPU runtimes) is missing on the device. */
    public Faults runnerMissing(boolean on) {
        runnerMissing = on;
        return this;
    }

    /** Make {@code df} report this much free space whatever the real use (-1: the true figure). */
    public Faults reportedFreeBytes(long bytes) {
        reportedFreeBytes = bytes;
        return this;
    }

    /** Clears every fault. */
    public void reset() {
        unauthorized = false;
        dropAfterPushedBytes = -1;
        dropOnCommand = null;
        hangOnCommand = null;
        garbageOutput = false;
        runnerMissing = false;
        reportedFreeBytes = -1;
    }

    boolean unauthorized() {
        return unauthorized;
    }

    synchronized boolean takeDropAfterPush(long pushedSoFar) {
        if (dropAfterPushedBytes >= 0 && pushedSoFar > dropAfterPushedBytes) {
            dropAfterPushedBytes = -1;
            return true;
        }
        return false;
    }

    synchronized boolean takeDropOnCommand(String command) {
        if (dropOnCommand != null && command.contains(dropOnCommand)) {
            dropOnCommand = null;
            return true;
        }
        return false;
    }

    boolean hangs(String command) {
        String h = hangOnCommand;
        return h != null && command.contains(h);
    }

    boolean garbageOutput() {
        return garbageOutput;
    }

    boolean runnerMissing() {
        return runnerMissing;
    }

    long reportedFreeBytes() {
        return reportedFreeBytes;
    }
}
