package dev.layerwise.app.common;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The user-facing strings in the current language. One instance, made in {@code App.start} and
 * passed to whoever shows text; switching language rebuilds the views, and view models read
 * strings when they need them, so they follow the switch.
 */
public final class Messages {

    /** The languages the bundles cover, first is the fallback. */
    public static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE);

    private static final String BUNDLE = "dev.layerwise.app.messages";

    private Locale locale;
    private ResourceBundle bundle;

    public Messages(Locale locale) {
        setLocale(locale);
    }

    /** The supported language closest to {@code wanted}: Chinese for any zh locale, else English. */
    public static Locale closestSupported(Locale wanted) {
        return "zh".equals(wanted.getLanguage()) ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH;
    }

    public void setLocale(Locale wanted) {
        this.locale = closestSupported(wanted);
        // no fallback to the JVM's default locale: asking for English on a Chinese system must give English
        this.bundle = ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public Locale locale() {
        return locale;
    }

    /** The string for {@code key}, with {@code {0}}-style arguments filled in. */
    public String get(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            // a missing key must show up in the UI and in tests, not crash the window
            return "!" + key + "!";
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }

    public boolean has(String key) {
        return bundle.containsKey(key);
    }
}
