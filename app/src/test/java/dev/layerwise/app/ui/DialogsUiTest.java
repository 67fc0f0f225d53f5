package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.fx;
import static dev.layerwise.app.ui.FxSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.common.Messages;
import dev.layerwise.core.quant.QuantType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Hyperlink;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The workbench's dialogs through the real window: their buttons' language, and what auto-pick's dialog offers. */
class DialogsUiTest extends WindowUiTest {

    private static final Messages ZH = new Messages(Locale.SIMPLIFIED_CHINESE);


    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    /** The buttons of the dialog on screen, left to right as laid out. */
    private static List<String> buttons(FxRobot robot) throws Exception {
        DialogPane pane = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        return fx(() -> pane.lookupAll(".button-bar .button").stream().filter(Node::isVisible)
                .map(n -> ((Button) n).getText()).toList());
    }

    private static Button button(FxRobot robot, String text) throws Exception {
        DialogPane pane = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        return fx(() -> pane.lookupAll(".button-bar .button").stream().map(Button.class::cast)
                .filter(b -> b.getText().equals(text)).findFirst().orElseThrow(() -> new AssertionError("no button " + text)));
    }

    private static void waitForDialog(FxRobot robot, String what) throws Exception {
        waitUntil(what, () -> robot.lookup(".dialog-pane").tryQuery().isPresent());
    }

    private static void waitForNoDialog(FxRobot robot, String what) throws Exception {
        waitUntil(what, () -> robot.lookup(".dialog-pane").tryQuery().isEmpty());
    }

    @Test
    void afterSwitchingToChineseEveryDialogsButtonsAndDetailsLinkAreChinese(FxRobot robot) throws Exception {
        waitUntil("the first analysis", () -> !wb.layers().rows().isEmpty() && idle());
        fx(() -> {
            window().showIn(Locale.SIMPLIFIED_CHINESE);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        Set<String> english = Set.of("OK", "Cancel", "Yes", "No", "Close", "Save", "Discard");

        // quitting with an unsaved tick: save / discard / cancel
        fx(() -> {
            wb.layers().toggle("Conv_117");
            return null;
        });
        robot.push(KeyCode.CONTROL, KeyCode.Q);
        waitForDialog(robot, "the unsaved-picks question");
        List<String> unsaved = buttons(robot);
        assertEquals(Set.of(ZH.get("unsaved.save"), ZH.get("unsaved.discard"), ZH.get("button.cancel")), Set.copyOf(unsaved));
        robot.clickOn(button(robot, ZH.get("button.cancel")));
        waitForNoDialog(robot, "the question closed");
        assertTrue(fx(session.stage::isShowing), "cancel keeps the window");

        // auto-pick's target: a text field with OK / Cancel
        robot.push(KeyCode.CONTROL, KeyCode.G);
        waitForDialog(robot, "the auto-pick target");
        assertEquals(Set.of(ZH.get("button.ok"), ZH.get("button.cancel")), Set.copyOf(buttons(robot)));
        robot.clickOn(button(robot, ZH.get("button.cancel")));
        waitForNoDialog(robot, "the auto-pick question closed");
        assertEquals(Map.of("Conv_117", QuantType.DYNAMIC_FIXED_POINT_I16), fx(() -> wb.layers().types()), "cancel picks nothing");

        // an error with details: OK, and the details link in Chinese before and after opening it
        robot.clickOn("#mean").eraseText(40).write("1,2,x");
        robot.clickOn("#run");
        waitUntil("the error dialog", () -> robot.lookup("#error-message").tryQuery().isPresent());
        assertEquals(List.of(ZH.get("button.ok")), buttons(robot));
        Hyperlink details = robot.lookup(".dialog-pane .details-button").queryAs(Hyperlink.class);
        assertEquals(ZH.get("dialog.details.show"), fx(details::getText));
        robot.clickOn(details);
        WaitForAsyncUtils.waitForFxEvents();
        Hyperlink expanded = robot.lookup(".dialog-pane .details-button").queryAs(Hyperlink.class);
        assertEquals(ZH.get("dialog.details.hide"), fx(expanded::getText));
        robot.clickOn(button(robot, ZH.get("button.ok")));
        waitForNoDialog(robot, "the error closed");

        // Help > About, an information
        robot.push(KeyCode.F1);
        waitForDialog(robot, "the shortcuts");
        List<String> help = buttons(robot);
        assertEquals(List.of(ZH.get("button.ok")), help);
        for (String text : help) {
            assertFalse(english.contains(text), text);
        }
        robot.clickOn(button(robot, ZH.get("button.ok")));
        for (String text : unsaved) {
            assertFalse(english.contains(text), text);
        }
        assertNotEquals("OK", ZH.get("button.ok"));
    }

    @Test
    void autoPickSaysWhatItTickedAndReachedAndItsUndoBringsTheEarlierTicksBack(FxRobot robot) throws Exception {
        waitUntil("the first analysis", () -> !wb.layers().rows().isEmpty() && idle());
        fx(() -> {
            wb.layers().toggle("Conv_117");
            return null;
        });
        Map<String, QuantType> mine = fx(() -> wb.layers().types());
        robot.push(KeyCode.CONTROL, KeyCode.G);
        waitForDialog(robot, "the auto-pick target");
        robot.clickOn(button(robot, "OK"));
        waitUntil("auto-pick's summary", () -> robot.lookup("#auto-pick-summary").tryQuery().isPresent());

        DialogPane summary = robot.lookup("#auto-pick-summary").queryAs(DialogPane.class);
        Map<String, QuantType> picked = fx(() -> wb.layers().types());
        assertNotEquals(mine, picked, "auto-pick ticked its own layers");
        assertTrue(picked.values().stream().allMatch(t -> t == QuantType.DYNAMIC_FIXED_POINT_I16), picked.toString());
        String headline = fx(summary::getHeaderText);
        assertTrue(headline.startsWith("Auto-pick ticked " + picked.size() + " layer(s): final cosine "), headline);
        double reached = Double.parseDouble(headline.replaceAll(".*final cosine ([0-9.]+).*", "$1"));
        assertTrue(reached >= 0.99, "reached " + reached + " for the target 0.99");
        String details = fx(summary::getContentText);
        for (String layer : picked.keySet()) {
            assertTrue(details.contains(layer), "the details name " + layer + ": " + details);
        }
        assertTrue(details.contains("It replaced your 1 earlier tick(s): Conv_117"), details);
        assertEquals(Set.of("Undo", "OK"), Set.copyOf(buttons(robot)));

        robot.clickOn(button(robot, "Undo"));
        waitForNoDialog(robot, "the summary closed");
        waitUntil("the earlier ticks back", () -> wb.layers().types().equals(mine));
        assertTrue(fx(() -> wb.layers().row("Conv_117").isPromoted()));
    }
}
