package dev.supaqueue.console.fx;

import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.util.StringConverter;

/** Editable number spinners that keep their last good value when the typed text is not a number. */
public final class LenientSpinners {

    private LenientSpinners() {
    }

    /**
     * JavaFX's default converter throws NumberFormatException on the FX thread when text such as "abc" is
     * committed; this one returns the current value instead (the view names the typed text beside the field).
     */
    public static void keepLastGoodValue(Spinner<Integer> spinner) {
        SpinnerValueFactory<Integer> factory = spinner.getValueFactory();
        factory.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer value) {
                return value == null ? "" : value.toString();
            }

            @Override
            public Integer fromString(String text) {
                String typed = text == null ? "" : text.strip();
                return typed.matches("\\d{1,9}") ? Integer.valueOf(typed) : factory.getValue();
            }
        });
    }
}
