package dev.layerwise.bridge.device;

/** The system on the board, which decides the default work folder. */
public enum DeviceOs {
    ANDROID("/data/local/tmp/layerwise"),
    LINUX("/userdata/layerwise"),
    UNKNOWN("/data/local/tmp/layerwise");

    private final String defaultWorkRoot;

    DeviceOs(String defaultWorkRoot) {
        this.defaultWorkRoot = defaultWorkRoot;
    }

    /** Folder under which each run gets its own sub-folder. */
    public String defaultWorkRoot() {
        return defaultWorkRoot;
    }
}
