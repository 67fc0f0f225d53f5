package dev.layerwise.app.workspace;

import dev.layerwise.core.io.InputFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The most recently opened models, workspaces and cfgs, newest first, kept in a plain text
 * file (one path a line) so that tests can point it at a temporary folder.
 */
public final class RecentFiles {

    private final Path store;
    private final int max;
    private final ObservableList<Path> files = FXCollections.observableArrayList();

    /** @param store the list file, e.g. {@code ~/.layerwise/recent.txt}; null keeps the list in memory */
    public RecentFiles(Path store, int max) {
        this.store = store;
        this.max = max;
        load();
    }

    private void load() {
        if (store == null || !Files.isRegularFile(store)) {
            return;
        }
        try {
            List<Path> read = new ArrayList<>();
            for (String line : InputFiles.readUtf8(store, "recent files list", InputFiles.SMALL_TEXT_LIMIT).lines().toList()) {
                if (!line.isBlank() && read.size() < max) {
                    read.add(Path.of(line.strip()));
                }
            }
            files.setAll(read);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            // a damaged list is not worth an error dialog: start a new one
            files.clear();
        }
    }

    /** Moves {@code file} to the top of the list and saves it. */
    public void add(Path file) {
        Path p = file.toAbsolutePath().normalize();
        files.remove(p);
        files.add(0, p);
        if (files.size() > max) {
            files.remove(max, files.size());
        }
        save();
    }

    private void save() {
        if (store == null) {
            return;
        }
        try {
            Files.createDirectories(store.getParent());
            Files.write(store, files.stream().map(Path::toString).toList(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // the recent list is a convenience; failing to store it must not interrupt work
            System.getLogger(RecentFiles.class.getName()).log(System.Logger.Level.DEBUG, "cannot save " + store, e);
        }
    }

    public ObservableList<Path> files() {
        return files;
    }
}
