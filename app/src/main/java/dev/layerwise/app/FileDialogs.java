package dev.layerwise.app;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * Where the window shows its file and folder choosers: the system's dialogs, or in a headless
 * test (Monocle has no native dialogs) an answer the test gives for the chooser it is handed,
 * so that File › Import… and Export… run through the real window. FX thread only.
 */
public interface FileDialogs {

    Optional<Path> open(FileChooser chooser, Window owner);

    Optional<Path> save(FileChooser chooser, Window owner);

    Optional<Path> folder(DirectoryChooser chooser, Window owner);

    /** The system's dialogs. */
    FileDialogs SYSTEM = new FileDialogs() {
        @Override
        public Optional<Path> open(FileChooser chooser, Window owner) {
            return path(chooser.showOpenDialog(owner));
        }

        @Override
        public Optional<Path> save(FileChooser chooser, Window owner) {
            return path(chooser.showSaveDialog(owner));
        }

        @Override
        public Optional<Path> folder(DirectoryChooser chooser, Window owner) {
            return path(chooser.showDialog(owner));
        }

        private Optional<Path> path(File f) {
            return Optional.ofNullable(f).map(File::toPath);
        }
    };
}
