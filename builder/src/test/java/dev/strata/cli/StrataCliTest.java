package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrataCliTest {
    @Test
    void helpListsTheCommandGroups() {
        CliRun r = CliRun.run("--help");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("squashfs"), r.out);
        assertTrue(r.out.contains("--debug"), r.out);
    }

    /**
     * Help's command lists show the first line of each description: it must be a whole sentence, and short
     * (the top command's is shown only in its own help).
     */
    @Test
    void everyCommandListLineIsAWholeSentence() {
        Deque<CommandLine> todo = new ArrayDeque<>(List.of(StrataCli.commandLine(CliRun.context(Map.of(), ""),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))));
        int checked = 0;
        List<String> cut = new ArrayList<>();
        while (!todo.isEmpty()) {
            CommandLine cl = todo.pop();
            String first = cl.getCommandSpec().usageMessage().description()[0];
            assertTrue(first.endsWith("."), cl.getCommandName() + ": '" + first + "' is cut mid-sentence");
            assertTrue(cl.getParent() == null || first.length() <= 95, cl.getCommandName() + ": '" + first + "' wraps in the command list");
            for (String line : descriptions(cl.getCommandSpec())) {
                if (!line.isEmpty() && !line.startsWith("  ") && !line.matches("(?s).*[.:)]")) {
                    cut.add(cl.getCommandName() + ": '" + line + "'");
                }
            }
            todo.addAll(cl.getSubcommands().values());
            checked++;
        }
        assertEquals(count(CommandTree.STRATA), checked);
        // picocli starts a new line after each description element: a sentence split over two shows ragged
        assertEquals(List.of(), cut, "help lines that end mid-sentence (make the sentence one element)");
    }

    private static List<String> descriptions(CommandSpec spec) {
        List<String> lines = new ArrayList<>(List.of(spec.usageMessage().description()));
        spec.options().forEach(o -> lines.addAll(List.of(o.description())));
        spec.positionalParameters().forEach(p -> lines.addAll(List.of(p.description())));
        return lines;
    }

    private static int count(CommandTree.Node node) {
        return 1 + node.subcommands().stream().mapToInt(StrataCliTest::count).sum();
    }

    @Test
    void versionComesFromTheMavenProject() {
        CliRun r = CliRun.run("--version");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.matches("strata \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), r.out);
        assertEquals(VersionProvider.version(), r.out.trim().substring("strata ".length()));
    }

    @Test
    void missingCommandIsAUsageError() {
        CliRun r = CliRun.run();
        assertEquals(2, r.status);
        assertTrue(r.err.startsWith("strata: error: missing command (one of: "), r.err);
        assertTrue(r.err.lines().findFirst().orElseThrow().contains("squashfs"), r.err);
        CliRun group = CliRun.run("squashfs");
        assertEquals(2, group.status);
        assertTrue(group.err.startsWith("strata: error: missing subcommand (one of: create"), group.err);
        CliRun unknown = CliRun.run("squashfs", "frobnicate");
        assertEquals(2, unknown.status);
        assertTrue(unknown.err.startsWith("strata: error: unknown command 'frobnicate' (one of: create"), unknown.err);
    }

    @Test
    void createHelpShowsMksquashfsOptions() {
        CliRun r = CliRun.run("squashfs", "create", "--help");
        assertEquals(0, r.status, r.toString());
        for (String option : new String[] {"-comp COMP", "-b +SIZE", "-noappend", "-all-root", "-pf FILE", "-wildcards",
            "-e +EXCLUDE\\.\\.\\."}) {
            assertTrue(java.util.regex.Pattern.compile(option).matcher(r.out).find(), option + " missing from\n" + r.out);
        }
        assertFalse(r.err.contains("WARN"), r.err);
        assertEquals(0, CliRun.run("squashfs", "create", "-help").status);
    }

    @Test
    void stackTracesOnlyWithDebug(@TempDir Path dir) {
        String[] args = {"squashfs", "create", dir.resolve("missing").toString(), dir.resolve("out.img").toString()};
        CliRun plain = CliRun.run(args);
        assertEquals(1, plain.status);
        assertEquals(1, plain.err.lines().count(), plain.err);
        assertFalse(plain.err.contains("\tat "), plain.err);
        String[] debugArgs = new String[args.length + 1];
        debugArgs[0] = "--debug";
        System.arraycopy(args, 0, debugArgs, 1, args.length);
        CliRun debug = CliRun.run(debugArgs);
        assertEquals(1, debug.status);
        assertTrue(debug.err.contains("\tat "), debug.err);
        assertTrue(debug.err.strip().endsWith("does not exist; check the path"), debug.err);
        CliRun afterSubcommand = CliRun.run("squashfs", "create", "--debug", args[2], args[3]);
        assertTrue(afterSubcommand.err.contains("\tat "), afterSubcommand.err);
    }

    @Test
    void unexpectedFailuresSayTheyAreInternal() {
        assertEquals("internal error: java.lang.NullPointerException: x (run with --debug for the stack trace,"
                + " and please report it)", ErrorReporter.describe(new NullPointerException("x")));
        assertEquals("a/b: no such file or directory",
                ErrorReporter.describe(new java.nio.file.NoSuchFileException("a/b")));
    }
}
