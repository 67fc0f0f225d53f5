package dev.layerwise.app.ui;

import dev.layerwise.app.FileDialogs;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * The window's file dialogs answered by a test (Monocle has no native dialogs): every dialog gets
 * the file last given to {@link #answer}, and what was asked is noted for the test to check.
 */
final class AnsweredFileDialogs implements FileDialogs {

    /** Each dialog asked for, in order: "open" with its first filter's patterns, "save", or "folder". */
    final List<String> asked = new CopyOnWriteArrayList<>();
    /** The open and save choosers as the window handed them over, for their titles and filters. */
    final List<FileChooser> choosers = new CopyOnWriteArrayList<>();
    private volatile Path answer;

    /** The file (or folder) every following dialog picks. */
    AnsweredFileDialogs answer(Path file) {
        answer = file;
        return this;
    }

    @Override
    public Optional<Path> open(FileChooser chooser, Window owner) {
        asked.add("open " + String.join(" ", chooser.getExtensionFilters().get(0).getExtensions()));
        choosers.add(chooser);
        return Optional.of(answer);
    }

    @Override
    public Optional<Path> save(FileChooser chooser, Window owner) {
        asked.add("save");
        choosers.add(chooser);
        return Optional.of(answer);
    }

    @Override
    public Optional<Path> folder(DirectoryChooser chooser, Window owner) {
        asked.add("folder");
        return Optional.of(answer);
    }
}
