package dev.supaqueue.console.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Availability and command construction only: the real secret-tool is not run here. */
class SecretToolVaultTest {

    @TempDir
    Path dir;

    private final List<List<String>> commands = new ArrayList<>();
    private final List<String> inputs = new ArrayList<>();

    private SecretToolVault.CommandRunner recorder(int exitCode, String output) {
        return (command, input) -> {
            commands.add(command);
            inputs.add(new String(input, StandardCharsets.UTF_8));
            return new SecretToolVault.CommandRunner.Result(exitCode, output.getBytes(StandardCharsets.UTF_8), "");
        };
    }

    private Path fakeSecretTool() throws Exception {
        Path tool = dir.resolve("secret-tool");
        Files.writeString(tool, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
        return tool;
    }

    @Test
    void notAvailableOutsideLinux() {
        var vault = new SecretToolVault("Mac OS X", dir.toString(), recorder(0, ""));
        assertThat(vault.availability().available()).isFalse();
        assertThat(vault.availability().reason()).contains("not available on this machine");
    }

    @Test
    void notAvailableWithoutSecretToolOnThePath() {
        var vault = new SecretToolVault("Linux", dir + ":" + dir.resolve("missing"), recorder(0, ""));
        assertThat(vault.availability().available()).isFalse();
        assertThat(vault.availability().reason()).contains("not available on this machine").contains("secret-tool");
        assertThatThrownBy(() -> vault.lookup("Staging")).hasMessageContaining("not available");
        assertThat(commands).isEmpty();
    }

    @Test
    void availableWhenAnExecutableSecretToolIsOnThePath() throws Exception {
        Path tool = fakeSecretTool();
        var vault = new SecretToolVault("Linux", "/nonexistent:" + dir, recorder(0, ""));
        assertThat(vault.availability().available()).isTrue();
        assertThat(vault.findExecutable()).contains(tool);
    }

    @Test
    void thePasswordGoesOnStandardInputNeverOnTheCommandLine() throws Exception {
        fakeSecretTool();
        var vault = new SecretToolVault("Linux", dir.toString(), recorder(0, ""));
        vault.store("Staging EU", "hunter2".toCharArray());
        assertThat(commands).containsExactly(List.of("secret-tool", "store", "--label=Supaqueue connection Staging EU",
                "service", "supaqueue", "profile", "Staging EU"));
        assertThat(String.join(" ", commands.getFirst())).doesNotContain("hunter2");
        assertThat(inputs).containsExactly("hunter2");
    }

    @Test
    void lookupAndClearUseTheSameAttributes() throws Exception {
        fakeSecretTool();
        var found = new SecretToolVault("Linux", dir.toString(), recorder(0, "hunter2"));
        assertThat(found.lookup("Staging")).hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("hunter2"));
        assertThat(commands.getLast()).containsExactly("secret-tool", "lookup", "service", "supaqueue", "profile",
                "Staging");
        var missing = new SecretToolVault("Linux", dir.toString(), recorder(1, ""));
        assertThat(missing.lookup("Staging")).isEmpty();
        missing.clear("Staging");
        assertThat(commands.getLast()).containsExactly("secret-tool", "clear", "service", "supaqueue", "profile",
                "Staging");
    }
}
