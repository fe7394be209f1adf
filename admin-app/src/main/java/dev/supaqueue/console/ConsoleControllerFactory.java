package dev.supaqueue.console;

import dev.supaqueue.console.connection.ConnectionsView;
import dev.supaqueue.console.connection.ConnectionsViewModel;
import dev.supaqueue.console.fx.ViewLoader;
import dev.supaqueue.console.queues.QueuesView;
import dev.supaqueue.console.settings.SplitPositions;
import dev.supaqueue.console.workers.WorkersView;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import javafx.scene.Parent;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.util.Callback;

/**
 * The one place that creates views, each with its view model and the services that model needs.
 * {@link javafx.fxml.FXMLLoader} calls it for every {@code fx:controller}; a new screen registers
 * its view here and nowhere else. Per-connection screens (the queues) are made by {@link #screens()}.
 */
public final class ConsoleControllerFactory implements Callback<Class<?>, Object> {

    private final Map<Class<?>, Supplier<?>> viewConstructors = new HashMap<>();
    private final ResourceBundle messages;
    private final ConsoleScreens screens;
    private final SplitPositions splitPositions;

    public ConsoleControllerFactory(ConsoleServices services, ResourceBundle messages) {
        this.messages = Objects.requireNonNull(messages, "messages");
        this.splitPositions = services.splitPositions();
        MainWindowViewModel main = new MainWindowViewModel(services.versions(), services.applicationExit(),
                request -> ConnectionSession.open(request, services, messages), services.settings(), messages);
        ConnectionsViewModel connections = new ConnectionsViewModel(services.profiles(), services.vaults(),
                services.tester(), services.tasks());
        connections.setOnConnect(main::connect);
        this.screens = new Screens();
        register(MainWindowView.class, () -> new MainWindowView(main, screens, messages));
        register(ConnectionsView.class, () -> new ConnectionsView(connections));
    }

    /** The screens the main window shows. */
    public ConsoleScreens screens() {
        return screens;
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

    /** The queues screen's dividers (tree | messages, and messages / detail) come back where the user left them. */
    private void rememberDividers(Parent queuesScreen) {
        if (queuesScreen instanceof SplitPane main) {
            splitPositions.bind("queues.main", main);
            main.getItems().stream().filter(SplitPane.class::isInstance).map(SplitPane.class::cast).findFirst()
                    .ifPresent(messagesAndDetail -> splitPositions.bind("queues.messages", messagesAndDetail));
        }
    }

    private final class Screens implements ConsoleScreens {

        private Parent connections;

        @Override
        public Parent connections() {
            if (connections == null) {
                connections = new ViewLoader(ConsoleControllerFactory.this, messages).load(ConnectionsView.class).root();
            }
            return connections;
        }

        @Override
        public Parent connected(ConnectionSession session) {
            // New views per connection: their view models belong to that connection.
            Parent queues = new ViewLoader(type -> new QueuesView(session.queues(), messages), messages)
                    .load(QueuesView.class).root();
            rememberDividers(queues);
            Parent workers = new ViewLoader(type -> new WorkersView(session.workers(), messages), messages)
                    .load(WorkersView.class).root();
            Tab queuesTab = new Tab(messages.getString("main.tab.queues"), queues);
            queuesTab.setId("queuesTab");
            Tab workersTab = new Tab(messages.getString("main.tab.workers"), workers);
            workersTab.setId("workersTab");
            TabPane tabs = new TabPane(queuesTab, workersTab);
            tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
            return tabs;
        }
    }
}
