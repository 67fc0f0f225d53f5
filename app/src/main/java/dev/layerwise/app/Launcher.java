package dev.layerwise.app;

import javafx.application.Application;

/**
 * Starts the workbench. A plain class (not a subclass of {@code Application}) so that the shaded
 * jar, which has JavaFX on the class path rather than the module path, can launch it.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        Application.launch(App.class, args);
    }
}
