package dev.layerwise.bridge.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The emulated device's file system: device paths map into a host folder and never escape it. */
final class DeviceFiles {

    private final Path root;
    private final long capacity;

    DeviceFiles(Path root, long capacity) {
        this.root = root.toAbsolutePath().normalize();
        this.capacity = capacity;
    }

    Path root() {
        return root;
    }

    /** Host path of a device path; relative paths start at {@code cwd}; ".." stops at the root. */
    Path resolve(String devicePath, String cwd) {
        String abs = devicePath.startsWith("/") ? devicePath : (cwd.endsWith("/") ? cwd : cwd + "/") + devicePath;
        return root.resolve(normalize(abs).substring(1));
    }

    /** A device path without "." and ".." parts, always absolute. */
    static String normalize(String abs) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String p : abs.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        return "/" + String.join("/", parts);
    }

    long used() {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    long capacity() {
        return capacity;
    }

    long free() {
        return Math.max(0, capacity - used());
    }
}
