package dev.supaqueue.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Dramatiq checklist item 2: what the broker refuses when an actor is declared, in both declaration styles. */
class ActorRegistrationTest {

    public static final class Adder {
        @ActorMethod
        public int add(int a, int b) {
            return a + b;
        }
    }

    public static final class Retrying {
        @ActorMethod(maxRetries = 3)
        public void work() {
        }
    }

    public static final class BadQueue {
        @ActorMethod(queue = "$2@!@#")
        public void work() {
        }
    }

    @Test
    void aDuplicateActorNameIsRefusedWithDramatiqsMessage() {
        RecordingBroker broker = new RecordingBroker();
        Actors.register(broker, new Adder());

        assertThatThrownBy(() -> Actors.register(broker, new Adder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("An actor named 'add' is already registered.");
        assertThatThrownBy(() -> ActorDefinition.named("add").on(broker).function(int.class, x -> x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("An actor named 'add' is already registered.");
    }

    @Test
    void anOptionNoMiddlewareUnderstandsIsRefused() {
        RecordingBroker broker = new RecordingBroker(Set.of("time_limit"));

        assertThatThrownBy(() -> Actors.register(broker, new Retrying()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Actor 'work' uses options [max_retries]")
                .hasMessageContaining("is a middleware missing?");
        assertThatThrownBy(() -> ActorDefinition.named("f").option("unknown_option", 1).on(broker).runnable(() -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Actor 'f' uses options [unknown_option]");
        assertThat(broker.actors()).isEmpty();
        // A known option is accepted.
        ActorDefinition.named("g").option("time_limit", 1000).on(broker).runnable(() -> { });
        assertThat(broker.actors()).containsOnlyKeys("g");
    }

    @Test
    void anInvalidQueueNameIsRefused() {
        RecordingBroker broker = new RecordingBroker();

        assertThatThrownBy(() -> Actors.register(broker, new BadQueue()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$2@!@#");
        assertThatThrownBy(() -> ActorDefinition.named("f").queue("$2@!@#").on(broker).runnable(() -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$2@!@#");
        assertThat(broker.actors()).isEmpty();
        assertThat(broker.declaredQueues()).isEmpty();
    }
}
