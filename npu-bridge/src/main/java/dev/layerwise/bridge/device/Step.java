package dev.layerwise.bridge.device;

/** The step of device work that failed or is reported in progress; the label appears in messages. */
public enum Step {
    DISCOVER("discover"),
    CONNECT("connect"),
    PROBE("probe"),
    CHECK("check"),
    PREPARE("prepare work folder"),
    PUSH("push"),
    VERIFY("verify"),
    RUN("run"),
    PULL("pull"),
    READ_OUTPUT("read output"),
    CLEANUP("clean up");

    private final String label;

    Step(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
