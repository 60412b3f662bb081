package dev.strata.cli;

import dev.strata.squashfs.compress.Compressors;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The strata command: subcommand groups for each thing Strata makes or reads (listed in {@link CommandTree}). */
@Command(name = "strata", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Builds firmware-style root file systems for embedded Linux: a SquashFS lower written in"
                + " pure Java, an overlay upper, flashable images.")
public final class StrataCli implements Runnable {
    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    boolean debug;

    @Spec
    CommandSpec spec;

    private final CliContext context;

    public StrataCli(CliContext context) {
        this.context = context;
    }

    public CliContext context() {
        return context;
    }

    public static void main(String[] args) {
        System.exit(execute(CliContext.system(), new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                args));
    }

    /** Runs one command line in-process; returns the exit status. */
    public static int execute(CliContext context, PrintWriter out, PrintWriter err, String... args) {
        if (CommandTree.asksForVersionOnly(args)) {
            return topCommandLine(context, out, err).execute(args);
        }
        List<CommandTree.Node> path = CommandTree.pathTo(args);
        if (!path.isEmpty() && path.get(path.size() - 1).readsImages()) {
            Compressors.prepareSystemDecoders();
        }
        return commandLine(context, out, err, path).execute(args);
    }

    /** The command line with every command (for help and for tests). */
    public static CommandLine commandLine(CliContext context, PrintWriter out, PrintWriter err) {
        return commandLine(context, out, err, List.of());
    }

    /** The command line with the commands along path only, or with all of them when path is empty. */
    private static CommandLine commandLine(CliContext context, PrintWriter out, PrintWriter err,
                                           List<CommandTree.Node> path) {
        CommandLine cl = new CommandLine(new StrataCli(context));
        CommandTree.addSubcommands(cl, CommandTree.STRATA, path);
        return settled(cl, out, err);
    }

    /** The strata command alone, without its subcommands (for --version). */
    private static CommandLine topCommandLine(CliContext context, PrintWriter out, PrintWriter err) {
        return settled(new CommandLine(new StrataCli(context)), out, err);
    }

    /** Output, error handling and parser settings, for cl and the subcommands it has (picocli sets them on those). */
    private static CommandLine settled(CommandLine cl, PrintWriter out, PrintWriter err) {
        cl.setExpandAtFiles(false); // "@name" is a file name, not an argument file
        ErrorReporter errors = new ErrorReporter();
        cl.setExecutionExceptionHandler(errors);
        cl.setParameterExceptionHandler(errors);
        cl.setOut(out);
        cl.setErr(err);
        configure(cl);
        return cl;
    }

    private static void configure(CommandLine cl) {
        if (cl.getCommand() instanceof ParserSettings settings) {
            settings.configure(cl);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            configure(sub);
        }
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (one of: "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }
}
