package dev.layerwise.bridge.adb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of the adb server's {@code host:devices-l} answer.
 *
 * @param serial the device's serial, or {@code host:port} for a network device
 * @param state adb's state word: {@code device}, {@code unauthorized}, {@code offline}, {@code no permissions …}, …
 * @param qualifiers {@code product}, {@code model}, {@code device}, {@code transport_id}, {@code usb} when known
 */
public record DeviceEntry(String serial, String state, Map<String, String> qualifiers) {

    private static final Pattern QUALIFIER = Pattern.compile("(product|model|device|transport_id|usb):(\\S*)");

    public DeviceEntry {
        qualifiers = Map.copyOf(qualifiers);
    }

    /** Parses the whole answer; blank lines are skipped. */
    public static List<DeviceEntry> parseList(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).map(DeviceEntry::parse).toList();
    }

    static DeviceEntry parse(String line) {
        String[] words = line.strip().split("\\s+");
        StringBuilder state = new StringBuilder();
        Map<String, String> q = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++) {
            Matcher m = QUALIFIER.matcher(words[i]);
            if (m.matches()) {
                q.put(m.group(1), m.group(2));
            } else if (q.isEmpty()) {
                // the state may be several words ("no permissions (…)"); qualifiers come after it
                state.append(state.length() == 0 ? "" : " ").append(words[i]);
            }
        }
        return new DeviceEntry(words[0], state.toString(), q);
    }
}
