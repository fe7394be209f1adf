package dev.supaqueue.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.message.Message;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An actor class compiled without {@code javac -parameters}: positional arguments work, keywords cannot. */
class ActorParameterNamesTest {

    private static final String SOURCE = """
            package generated;

            import dev.supaqueue.actor.ActorMethod;

            public class Unnamed {
                @ActorMethod
                public int add(int a, int b) {
                    return a + b;
                }
            }
            """;

    @Test
    void keywordArgumentsNeedParameterNames(@TempDir Path dir) throws Exception {
        Object unnamed = compileWithoutParameterNames(dir).getConstructor().newInstance();
        MethodActor<?> add = Actors.register(new RecordingBroker(), unnamed).get("add");

        assertThat(add.parameters()).extracting(ActorParameter::hasName).containsExactly(false, false);
        assertThat(add.perform(add.message(1, 2))).isEqualTo(3);
        Message byName = add.messageWithOptions(List.of(1), Map.of("b", 2), Map.of());
        assertThatThrownBy(() -> add.perform(byName))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessage("actor 'add' was given keyword arguments [b] but the names of its parameters (int, int)"
                        + " are unknown: compile its class with javac -parameters (for a functional actor, declare"
                        + " them with ActorDefinition.parameterNames)");
        assertThatThrownBy(() -> add.perform(add.message(1, "x")))
                .hasMessage("actor 'add': argument 2 (int) cannot be bound from a JSON string \"x\"");
    }

    private static Class<?> compileWithoutParameterNames(Path dir) throws Exception {
        Path source = dir.resolve("generated/Unnamed.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, SOURCE);
        // Where ActorMethod was loaded from; java.class.path may be Surefire's manifest-only jar.
        String classpath = Path.of(ActorMethod.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "--release", "21", "-cp", classpath, "-d", dir.toString(),
                source.toString());
        assertThat(status).as("javac exit status").isZero();
        URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                ActorParameterNamesTest.class.getClassLoader());
        return loader.loadClass("generated.Unnamed");
    }
}
