package dev.supaqueue.cli;

import dev.supaqueue.SupaqueueVersion;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.Ansi.IStyle;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.IParamLabelRenderer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code supaqueue} command line: {@code java -cp 'app.jar:lib/*' dev.supaqueue.cli.Supaqueue worker ...}.
 * Subcommands: {@link WorkerCommand worker}.
 */
@Command(name = "supaqueue", mixinStandardHelpOptions = true, versionProvider = Supaqueue.Version.class,
        description = "Dramatiq-style background tasks on Supabase Queues (pgmq).",
        commandListHeading = "%nCommands:%n")
public final class Supaqueue implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(new WorkerCommand()).execute(args));
    }

    /** The command line with its subcommands; the worker is given so that tests can supply their own. */
    static CommandLine commandLine(WorkerCommand worker) {
        return new CommandLine(new Supaqueue()).addSubcommand("worker", worker).setHelpFactory(PromptOnlyHelp::new);
    }

    /**
     * Shows {@code --password} without a value: picocli would print {@code --password=<password>} for an interactive
     * option that may take one, which invites typing the password on the command line.
     */
    private static final class PromptOnlyHelp extends Help {

        PromptOnlyHelp(CommandSpec spec, ColorScheme colorScheme) {
            super(spec, colorScheme);
        }

        @Override
        public IParamLabelRenderer parameterLabelRenderer() {
            IParamLabelRenderer standard = super.parameterLabelRenderer();
            return new IParamLabelRenderer() {
                @Override
                public Text renderParameterLabel(ArgSpec arg, Ansi ansi, List<IStyle> styles) {
                    if (arg instanceof OptionSpec option && option.interactive()) {
                        return ansi.new Text("", colorScheme());
                    }
                    return standard.renderParameterLabel(arg, ansi, styles);
                }

                @Override
                public String separator() {
                    return standard.separator();
                }
            };
        }
    }

    /** No subcommand: the usage, as for any other usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("Missing a command.");
        spec.commandLine().usage(spec.commandLine().getErr());
        return WorkerCommand.USAGE;
    }

    /** The library's version, as the build wrote it. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Supaqueue " + SupaqueueVersion.current()};
        }
    }
}
