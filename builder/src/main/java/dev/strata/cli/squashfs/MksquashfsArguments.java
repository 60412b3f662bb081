package dev.strata.cli.squashfs;

import java.util.List;
import java.util.Set;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The parts of mksquashfs's command line picocli has no notion of: -X compressor options (any name,
 * collected in order with their arguments), -e (takes every remaining argument), and -p/-pf kept in
 * command-line order. Unknown options arrive here as positional arguments because the create command
 * turns on unmatchedOptionsArePositionalParams.
 */
final class MksquashfsArguments {
    /** -X options that take no argument (lz4 -Xhc, OpenWrt's xz -Xe); every other -X option takes one. */
    private static final Set<String> X_FLAGS = Set.of("-Xhc", "-Xe");

    /** mksquashfs options Strata knows but does not implement, so their users get a precise answer. */
    static final Set<String> UNSUPPORTED = Set.of(
            "-no-strip", "-tarstyle", "-cpiostyle", "-cpiostyle0", "-action", "-a",
            "-log-action", "-va", "-true-action", "-ta", "-false-action", "-fa", "-action-file", "-af",
            "-log-action-file", "-vaf", "-true-action-file", "-taf", "-false-action-file", "-faf", "-root-becomes",
            "-recover", "-recovery-path", "-mem-default", "-pseudo-dir", "-pd", "-force-file-mode", "-force-dir-mode", "-uid-gid-offset", "-Xhelp", "-ignore-zeros",
            "-info-file", "-deref", "-deref-path", "-dereference", "-numeric-owner", "-repro-time", "-stream",
            "-zip", "-fix", "-log", "-overcommit", "-read-queue", "-write-queue", "-fragment-queue");

    private MksquashfsArguments() {
    }

    /** A -p definition or a -pf file, in the order given. */
    record PseudoSource(boolean file, String value) {
    }

    /** Positional arguments (SOURCE... OUTPUT), -X options, and the errors for unknown options. */
    static final class Positional implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            String token = args.pop();
            CreateCommand create = (CreateCommand) commandSpec.userObject();
            if (token.startsWith("-X")) {
                create.compressorOptions.add(token);
                if (!X_FLAGS.contains(token)) {
                    if (args.isEmpty()) {
                        throw new ParameterException(commandSpec.commandLine(), "compressor option " + token
                                + " needs a value");
                    }
                    create.compressorOptions.add(args.pop());
                }
                return;
            }
            if (token.startsWith("-") && !token.equals("-")) {
                if (UNSUPPORTED.contains(token)) {
                    throw new ParameterException(commandSpec.commandLine(), "mksquashfs option " + token
                            + " is not supported by strata squashfs create");
                }
                throw new ParameterException(commandSpec.commandLine(), "unknown option " + token);
            }
            create.positional.add(token);
        }
    }

    /** -e: like mksquashfs, everything after it is an exclude. */
    static final class RestAreExcludes implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            if (args.isEmpty()) {
                throw new ParameterException(commandSpec.commandLine(), "-e needs at least one file to exclude");
            }
            List<String> excludes = argSpec.getValue();
            while (!args.isEmpty()) {
                excludes.add(args.pop());
            }
        }
    }

    /** -p: one definition, kept in order with -pf. */
    static final class PseudoDefinitionArgument implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            take(args, commandSpec, false, "-p needs a pseudo definition");
        }
    }

    /** -pf: a file of definitions, kept in order with -p. */
    static final class PseudoFileArgument implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            take(args, commandSpec, true, "-pf needs a pseudo file");
        }
    }

    private static void take(Stack<String> args, CommandSpec commandSpec, boolean file, String missing) {
        if (args.isEmpty()) {
            throw new ParameterException(commandSpec.commandLine(), missing);
        }
        ((CreateCommand) commandSpec.userObject()).pseudo.add(new PseudoSource(file, args.pop()));
    }
}
