package dev.layerwise.app.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MessagesTest {

    private static Properties load(String name) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Messages.class.getResourceAsStream("/dev/layerwise/app/" + name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void chineseBundleTranslatesEveryEnglishKey() throws Exception {
        TreeSet<String> missing = new TreeSet<>(load("messages.properties").stringPropertyNames());
        missing.removeAll(load("messages_zh_CN.properties").stringPropertyNames());
        assertEquals(new TreeSet<String>(), missing);
    }

    @Test
    void anyChineseLocaleGetsSimplifiedChineseAndOthersEnglish() {
        assertEquals(Locale.SIMPLIFIED_CHINESE, Messages.closestSupported(Locale.forLanguageTag("zh-TW")));
        assertEquals(Locale.SIMPLIFIED_CHINESE, Messages.closestSupported(Locale.CHINA));
        assertEquals(Locale.ENGLISH, Messages.closestSupported(Locale.GERMANY));
    }

    @Test
    void englishIsEnglishEvenOnAChineseSystem() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.CHINA);
            assertEquals("Layers", new Messages(Locale.ENGLISH).get("tab.layers"));
            assertEquals("逐层分析", new Messages(Locale.CHINA).get("tab.layers"));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void switchingLanguageChangesStringsAndFillsArguments() {
        Messages m = new Messages(Locale.ENGLISH);
        assertEquals("3 layer(s) under the threshold", m.get("layers.unfriendly", 3));
        m.setLocale(Locale.SIMPLIFIED_CHINESE);
        assertEquals("3 层低于阈值", m.get("layers.unfriendly", 3));
        assertTrue(m.get("no.such.key").startsWith("!"));
    }
}
