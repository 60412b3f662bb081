package dev.strata.cli.squashfs;

import dev.strata.cli.CliContext;
import dev.strata.cli.StrataCli;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** strata squashfs: make and read SquashFS images. Its subcommands are listed in dev.strata.cli.CommandTree. */
@Command(name = "squashfs", mixinStandardHelpOptions = true, versionProvider = dev.strata.cli.VersionProvider.class,
        description = "Makes and reads SquashFS images.")
public final class SquashfsCommand implements Runnable {
    @ParentCommand
    StrataCli strata;

    @Spec
    CommandSpec spec;

    CliContext context() {
        return strata.context();
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand (one of: "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }
}
