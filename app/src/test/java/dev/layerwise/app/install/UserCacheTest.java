package dev.layerwise.app.install;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserCacheTest {

    private final Path home = Path.of("/home/ada");

    @Test
    void linuxFollowsXdgCacheHome() {
        assertEquals(Path.of("/var/cache/ada/layerwise"),
                UserCache.root(null, "Linux", Map.of("XDG_CACHE_HOME", "/var/cache/ada"), home));
    }

    @Test
    void linuxWithoutXdgOrWithARelativeOneUsesDotCache() {
        assertEquals(home.resolve(".cache/layerwise"), UserCache.root(null, "Linux", Map.of(), home));
        assertEquals(home.resolve(".cache/layerwise"),
                UserCache.root(null, "Linux", Map.of("XDG_CACHE_HOME", "rel/dir"), home));
    }

    @Test
    void macAndWindowsUseTheirCacheFolders() {
        assertEquals(home.resolve("Library/Caches/Layerwise"), UserCache.root(null, "Mac OS X", Map.of(), home));
        assertEquals(Path.of("/appdata/local").resolve("Layerwise").resolve("cache"),
                UserCache.root(null, "Windows 11", Map.of("LOCALAPPDATA", "/appdata/local"), home));
    }

    @Test
    void thePropertyOverridesEverything() {
        assertEquals(Path.of("/tmp/x"), UserCache.root("/tmp/x", "Linux", Map.of("XDG_CACHE_HOME", "/c"), home));
    }
}
