package dev.strata.cli;

import dev.strata.cli.squashfs.CatCommand;
import dev.strata.cli.squashfs.CreateCommand;
import dev.strata.cli.squashfs.ExtractCommand;
import dev.strata.cli.squashfs.InfoCommand;
import dev.strata.cli.squashfs.LsCommand;
import dev.strata.cli.squashfs.SquashfsCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Strata's commands and their subcommands. Picocli reads a command's annotations when the command is
 * added, a good part of every start-up; a command line that names a command without subcommands
 * (`strata squashfs extract ...`) therefore gets only the commands on its way there, and anything
 * else (help, a mistyped name, a missing subcommand) the whole tree, whose help lists every command.
 * Add a command by listing it here; the names are those of the classes' {@code @Command}.
 */
final class CommandTree {
    /**
     * A command, the name its command line uses, its subcommands, and whether it reads SquashFS
     * images (which then decode with system libraries, bound while the command line is parsed).
     */
    record Node(String name, Class<?> type, List<Node> subcommands, boolean readsImages) {
        Node(String name, Class<?> type, List<Node> subcommands) {
            this(name, type, subcommands, false);
        }

        static Node leaf(String name, Class<?> type) {
            return new Node(name, type, List.of());
        }

        static Node imageReader(String name, Class<?> type) {
            return new Node(name, type, List.of(), true);
        }

        Node child(String name) {
            for (Node n : subcommands) {
                if (n.name.equals(name)) {
                    return n;
                }
            }
            return null;
        }
    }

    static final Node STRATA = new Node("strata", StrataCli.class, List.of(
            new Node("squashfs", SquashfsCommand.class, List.of(
                    Node.leaf("create", CreateCommand.class),
                    Node.imageReader("ls", LsCommand.class),
                    Node.imageReader("cat", CatCommand.class),
                    Node.imageReader("extract", ExtractCommand.class),
                    Node.imageReader("info", InfoCommand.class))),
            Node.leaf("build", BuildCommand.class),
            Node.imageReader("preview", PreviewCommand.class),
            Node.leaf("profiles", ProfilesCommand.class),
            Node.leaf("reset", ResetCommand.class)));

    private CommandTree() {
    }

    /** Whether args are only "--version" (or "-V"), which needs no command below strata's own. */
    static boolean asksForVersionOnly(String... args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    /**
     * The commands args names, from the top down to one without subcommands; empty when args do not
     * get that far. The words before the command's own arguments are options of no value (--debug,
     * --help, --version) or command names.
     */
    static List<Node> pathTo(String... args) {
        List<Node> path = new ArrayList<>();
        Node at = STRATA;
        for (String arg : args) {
            if (at.subcommands().isEmpty()) {
                return path;
            }
            if (arg.startsWith("-")) {
                continue;
            }
            at = at.child(arg);
            if (at == null) {
                return List.of();
            }
            path.add(at);
        }
        return at.subcommands().isEmpty() ? path : List.of();
    }

    /** Adds node's subcommands to cl: all of them, or only the first of path and its own along path. */
    static void addSubcommands(CommandLine cl, Node node, List<Node> path) {
        for (Node sub : node.subcommands()) {
            if (!path.isEmpty() && sub != path.get(0)) {
                continue;
            }
            CommandLine subLine;
            try {
                subLine = new CommandLine(CommandLine.defaultFactory().create(sub.type()));
            } catch (Exception e) {
                throw new IllegalStateException("cannot make the command " + sub.name(), e);
            }
            cl.addSubcommand(sub.name(), subLine);
            addSubcommands(subLine, sub, path.isEmpty() ? path : path.subList(1, path.size()));
        }
    }
}
