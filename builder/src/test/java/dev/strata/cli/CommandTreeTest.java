package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command tree is the one the classes' annotations describe; a command line naming a command
 * without subcommands gets just the path to it; anything else, the whole tree (help lists every
 * command, a mistyped name gets suggestions).
 */
class CommandTreeTest {
    @Test
    void namesAreTheCommandsOwn() {
        assertNamesMatch(CommandTree.STRATA);
    }

    private static void assertNamesMatch(CommandTree.Node node) {
        assertEquals(node.type().getAnnotation(Command.class).name(), node.name(), node.type().getName());
        node.subcommands().forEach(CommandTreeTest::assertNamesMatch);
    }

    @Test
    void aCommandLineNamingALeafGetsThePathToIt() {
        assertEquals(List.of("squashfs", "extract"), names(CommandTree.pathTo("squashfs", "extract", "a.sqfs", "d")));
        assertEquals(List.of("squashfs", "create"),
                names(CommandTree.pathTo("--debug", "squashfs", "create", "-comp", "xz", "squashfs", "out")));
        assertEquals(List.of("preview"), names(CommandTree.pathTo("preview", "build", "x")));
        assertEquals(List.of("squashfs", "ls"), names(CommandTree.pathTo("squashfs", "ls", "--help")));
    }

    @Test
    void theVersionAloneNeedsNoCommandBelowStrata() {
        assertTrue(CommandTree.asksForVersionOnly("--version"));
        assertTrue(CommandTree.asksForVersionOnly("-V"));
        assertFalse(CommandTree.asksForVersionOnly("squashfs", "--version"));
        assertFalse(CommandTree.asksForVersionOnly("--version", "--help"));
        assertFalse(CommandTree.asksForVersionOnly());
    }

    @Test
    void anythingElseGetsTheWholeTree() {
        assertEquals(List.of(), CommandTree.pathTo());
        assertEquals(List.of(), CommandTree.pathTo("--help"));
        assertEquals(List.of(), CommandTree.pathTo("squashfs"));
        assertEquals(List.of(), CommandTree.pathTo("squashfs", "--help"));
        assertEquals(List.of(), CommandTree.pathTo("squashfs", "extrac", "a.sqfs"));
        assertEquals(List.of(), CommandTree.pathTo("prevew", "a.sqfs"));
    }

    @Test
    void theWholeTreeIsEveryCommand() {
        CommandLine cl = StrataCli.commandLine(CliContext.system(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        assertEquals(List.of("squashfs", "squashfs create", "squashfs ls", "squashfs cat", "squashfs extract",
                "squashfs info", "build", "preview", "profiles", "reset"), paths(cl.getSubcommands(), ""));
    }

    @Test
    void aMistypedSubcommandStillGetsSuggestions() {
        StringWriter err = new StringWriter();
        int status = StrataCli.execute(CliContext.system(), new PrintWriter(new StringWriter()),
                new PrintWriter(err, true), "squashfs", "extrat", "a.sqfs", "dest");
        assertEquals(2, status, err.toString());
        assertTrue(err.toString().contains("extract"), err.toString());
    }

    private static List<String> names(List<CommandTree.Node> path) {
        return path.stream().map(CommandTree.Node::name).toList();
    }

    private static List<String> paths(Map<String, CommandLine> subcommands, String prefix) {
        List<String> out = new ArrayList<>();
        subcommands.forEach((name, sub) -> {
            out.add(prefix + name);
            out.addAll(paths(sub.getSubcommands(), prefix + name + " "));
        });
        return out;
    }
}
