package dev.layerwise.app.device;

import dev.layerwise.app.common.BackgroundTask;
import dev.layerwise.app.common.Messages;
import dev.layerwise.bridge.adb.AdbUnavailableException;
import dev.layerwise.bridge.device.CancelToken;
import dev.layerwise.bridge.device.DeviceException;
import dev.layerwise.bridge.device.DeviceInfo;
import dev.layerwise.bridge.device.DeviceState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Device view's board list: the adb server's devices plus the boards added by
 * {@code HOST:PORT} or {@code direct:HOST:PORT} (remembered across restarts), probed on a
 * device worker, and the selected board. A board a run could not reach is shown offline until a
 * refresh finds it again. State changes on the FX thread only.
 */
public final class BoardListViewModel {

    private final DeviceBridge bridge;
    private final DeviceTasks tasks;
    private final Messages messages;

    private final ObservableList<DeviceRow> devices = FXCollections.observableArrayList();
    private final ObjectProperty<DeviceRow> selected = new SimpleObjectProperty<>();
    private final StringProperty address = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper listMessage = new ReadOnlyStringWrapper("");

    private final Set<String> directSerials = new LinkedHashSet<>();
    private final Map<String, String> problems = new LinkedHashMap<>();
    private List<DeviceInfo> infos = List.of();
    // network boards the user added, kept across restarts: HOST:PORT or direct:HOST:PORT
    private final Set<String> knownBoards = new LinkedHashSet<>();
    private Consumer<List<String>> storeBoards = boards -> { };
    private String listNote;
    private boolean listed;

    BoardListViewModel(DeviceBridge bridge, DeviceTasks tasks, Messages messages) {
        this.bridge = bridge;
        this.tasks = tasks;
        this.messages = messages;
        listMessage.set(messages.get("device.list.notYet"));
    }

    /** Lists devices once, the first time the Device view is shown (starting adb has side effects). */
    public void refreshIfNeverListed() {
        if (!listed) {
            refresh();
        }
    }

    /**
     * The network boards added in earlier sessions, and where to keep the list when a board is
     * added: the first listing connects them again.
     */
    public void rememberBoards(List<String> addresses, Consumer<List<String>> store) {
        knownBoards.addAll(addresses);
        for (String a : addresses) {
            if (DeviceBridge.isDirect(a)) {
                directSerials.add(a);
            }
        }
        storeBoards = store;
    }

    /** Lists the adb server's devices and re-probes the boards added directly. */
    public void refresh() {
        boolean first = !listed;
        listed = true;
        List<String> direct = List.copyOf(directSerials);
        List<String> reconnect = first ? knownBoards.stream().filter(a -> !DeviceBridge.isDirect(a)).toList() : List.of();
        CancelToken t = tasks.begin();
        tasks.submit(BackgroundTask.of(messages.get("task.device.list"), p -> {
            List<DeviceInfo> found = new ArrayList<>();
            Map<String, String> failed = new LinkedHashMap<>();
            String note = null;
            List<DeviceInfo> reconnected = new ArrayList<>();
            for (String a : reconnect) {
                p.checkCancelled();
                try {
                    reconnected.add(bridge.connect(a, t));
                } catch (DeviceException e) {
                    // listed below as offline with the reason, so the user sees the board they added
                    failed.put(a, e.getMessage());
                }
            }
            try {
                found.addAll(bridge.devices());
            } catch (AdbUnavailableException e) {
                note = e.getMessage();
            } catch (DeviceException e) {
                note = e.getMessage();
            }
            // without an adb server the bridge reaches a board straight over TCP, and the server's list
            // (empty then) does not have it: a board added in an earlier session would vanish on restart
            for (DeviceInfo d : reconnected) {
                if (found.stream().noneMatch(f -> f.serial().equals(d.serial()))) {
                    found.add(d);
                }
            }
            for (String serial : direct) {
                p.checkCancelled();
                try {
                    found.add(bridge.probe(serial, t));
                } catch (DeviceException e) {
                    found.add(DeviceInfo.unusable(serial, DeviceState.OFFLINE, null));
                    failed.put(serial, e.getMessage());
                }
            }
            for (String a : reconnect) {
                if (failed.containsKey(a) && found.stream().noneMatch(d -> d.serial().equals(a))) {
                    found.add(DeviceInfo.unusable(a, DeviceState.OFFLINE, null));
                }
            }
            return new Listing(found, failed, note);
        }).onSuccess(this::showListing));
    }

    private record Listing(List<DeviceInfo> devices, Map<String, String> problems, String note) {
    }

    private void showListing(Listing l) {
        problems.clear();
        problems.putAll(l.problems());
        listNote = l.note();
        infos = List.copyOf(l.devices());
        showRows(null);
    }

    /** Adds a network board: {@code HOST:PORT} through the adb server, {@code direct:HOST:PORT} straight over TCP. */
    public void connect() {
        String a = address.get() == null ? "" : address.get().strip();
        if (a.isEmpty()) {
            tasks.error.set(messages.get("device.error.noAddress"));
            return;
        }
        CancelToken t = tasks.begin();
        tasks.submit(BackgroundTask.of(messages.get("task.device.connect", a),
                p -> DeviceBridge.isDirect(a) ? bridge.probe(a, t) : bridge.connect(a, t)).onSuccess(info -> {
                    if (DeviceBridge.isDirect(info.serial())) {
                        directSerials.add(info.serial());
                    }
                    problems.remove(info.serial());
                    List<DeviceInfo> now = new ArrayList<>(infos.stream().filter(d -> !d.serial().equals(info.serial())).toList());
                    now.add(info);
                    infos = List.copyOf(now);
                    listed = true;
                    address.set("");
                    if (knownBoards.add(a)) {
                        storeBoards.accept(List.copyOf(knownBoards));
                    }
                    showRows(info.serial());
                }));
    }

    /** A run could not reach the board: it is shown offline until a refresh finds it again. */
    void markUnreachable(String serial) {
        infos = infos.stream().map(i -> i.serial().equals(serial)
                ? DeviceInfo.unusable(i.serial(), DeviceState.OFFLINE, i.model()) : i).toList();
        showRows(serial);
    }

    /** A run worked on the board: an earlier probe failure no longer applies. */
    void reached(String serial) {
        if (problems.remove(serial) != null) {
            showRows(serial);
        }
    }

    /** The selected board's details as the bridge reported them, or {@code null}. */
    DeviceInfo selectedInfo() {
        DeviceRow d = selected.get();
        return d == null ? null : infos.stream().filter(i -> i.serial().equals(d.serial())).findFirst().orElse(null);
    }

    private void showRows(String select) {
        String keep = select != null ? select : selected.get() == null ? null : selected.get().serial();
        List<DeviceRow> rows = infos.stream().map(d -> DeviceRow.of(d, problems.get(d.serial()), messages)).toList();
        devices.setAll(rows);
        DeviceRow pick = rows.stream().filter(r -> r.serial().equals(keep)).findFirst()
                .orElse(rows.stream().filter(DeviceRow::usable).findFirst().orElse(rows.isEmpty() ? null : rows.get(0)));
        selected.set(pick);
        if (listNote != null) {
            listMessage.set(rows.isEmpty() ? listNote : messages.get("device.list.count", rows.size()) + " \u2014 " + listNote);
        } else {
            listMessage.set(rows.isEmpty() ? messages.get("device.list.none") : messages.get("device.list.count", rows.size()));
        }
    }

    /** Writes the list's texts again, e.g. after the language changed. */
    void relabel() {
        if (listed) {
            showRows(null);
        } else {
            listMessage.set(messages.get("device.list.notYet"));
        }
    }

    public ObservableList<DeviceRow> devices() {
        return devices;
    }

    public ObjectProperty<DeviceRow> selectedProperty() {
        return selected;
    }

    /** What "Add" connects to: {@code HOST:PORT} or {@code direct:HOST:PORT}. */
    public StringProperty addressProperty() {
        return address;
    }

    /** How many devices, or why none could be listed (e.g. how to install adb). */
    public ReadOnlyStringProperty listMessageProperty() {
        return listMessage.getReadOnlyProperty();
    }
}
