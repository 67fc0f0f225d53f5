package dev.layerwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.layerwise.app.common.Messages;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The View › Language menu names each language in itself, without asking the JDK's locale data at start-up. */
class LanguageNamesTest {

    @Test
    void eachSupportedLanguageIsNamedInItselfAsTheJdkNamesIt() {
        for (Locale l : Messages.SUPPORTED) {
            String jdk = l.getDisplayName(l);
            // the JDK names Simplified Chinese "中文 (中国)"; the menu says which script, as Chinese menus do
            String expected = "zh".equals(l.getLanguage()) ? "\u7b80\u4f53\u4e2d\u6587" : jdk;
            assertEquals(expected, MainWindow.nativeName(l), l.toLanguageTag());
        }
        assertEquals("English", MainWindow.nativeName(Locale.ENGLISH));
    }

    @Test
    void aLanguageNotSpeltOutTakesTheJdksName() {
        assertEquals("Deutsch", MainWindow.nativeName(Locale.GERMAN));
    }
}
