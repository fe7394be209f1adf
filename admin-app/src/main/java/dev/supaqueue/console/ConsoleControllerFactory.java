package dev.supaqueue.console;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import javafx.util.Callback;

/**
 * The one place that creates views, each with its view model and the services that model needs.
 * {@link javafx.fxml.FXMLLoader} calls it for every {@code fx:controller}; a new screen registers
 * its view here and nowhere else.
 */
public final class ConsoleControllerFactory implements Callback<Class<?>, Object> {

    private final Map<Class<?>, Supplier<?>> viewConstructors = new HashMap<>();

    public ConsoleControllerFactory(ConsoleServices services) {
        register(MainWindowView.class, () -> new MainWindowView(
                new MainWindowViewModel(services.versions(), services.applicationExit())));
    }

    private <V> void register(Class<V> viewType, Supplier<V> constructor) {
        viewConstructors.put(viewType, constructor);
    }

    @Override
    public Object call(Class<?> viewType) {
        Supplier<?> constructor = viewConstructors.get(viewType);
        if (constructor == null) {
            throw new IllegalArgumentException("No view registered for " + viewType.getName()
                    + ": register it in " + ConsoleControllerFactory.class.getSimpleName());
        }
        return constructor.get();
    }
}
