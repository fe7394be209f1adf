package dev.supaqueue.console.fx;

import java.util.Objects;
import java.util.function.Function;
import javafx.util.StringConverter;

/** Shows the items of a choice box or combo box as text; the items are chosen, never typed in. */
public final class DisplayConverter {

    private DisplayConverter() {
    }

    /** A converter that shows each item with {@code toText} (null as empty). */
    public static <T> StringConverter<T> of(Function<? super T, String> toText) {
        Objects.requireNonNull(toText, "toText");
        return new StringConverter<>() {
            @Override
            public String toString(T value) {
                return value == null ? "" : toText.apply(value);
            }

            @Override
            public T fromString(String text) {
                throw new UnsupportedOperationException("choices are picked from the list, not typed in");
            }
        };
    }
}
