package dev.strata.squashfs.read;

import dev.strata.squashfs.tree.NodeType;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Makes device nodes and fifos, and sets their modification times, with one host shell for all of
 * them: the JDK can do neither (it has no mknod, and it sets times through an open descriptor, which
 * blocks on a fifo), and one process per node cost an extraction of a root file system tens of
 * milliseconds. Paths are passed as text, so callers give plain names (renamed into place later).
 * Used by extraction and by preview's export.
 */
public final class SpecialNodeBatch {
    /**
     * For each group of five arguments (path, type c|b|p, major, minor, mtime): make the node, then set
     * its time; a failure prints "index reason" and the batch goes on with the next node.
     */
    private static final String SCRIPT = """
            i=0
            while [ $# -ge 5 ]; do
              if [ "$2" = p ]; then out=$(mkfifo -- "$1" 2>&1); else out=$(mknod -- "$1" "$2" "$3" "$4" 2>&1); fi \\
                && out=$(touch -h -c -m -d "@$5" -- "$1" 2>&1) \\
                || printf '%s %s\\n' "$i" "$(printf '%s' "$out" | tr '\\n' ' ')"
              i=$((i + 1))
              shift 5
            done
            """;

    private static final int ARGUMENTS_PER_NODE = 5;
    /** Nodes per shell: keeps a command line far below the kernel's limit on argument bytes. */
    static final int NODES_PER_SHELL = 1000;

    private final List<String> arguments = new ArrayList<>();
    private int count;

    /** Adds a node of type FIFO, CHAR_DEVICE or BLOCK_DEVICE to be made at path. */
    public void add(Path path, NodeType type, int major, int minor, long mtime) {
        String kind = switch (type) {
            case FIFO -> "p";
            case CHAR_DEVICE -> "c";
            case BLOCK_DEVICE -> "b";
            default -> throw new IllegalArgumentException(type + " is not a device node or fifo");
        };
        arguments.addAll(List.of(path.toString(), kind, Integer.toString(major), Integer.toString(minor),
                Long.toString(mtime)));
        count++;
    }

    /**
     * Makes every node added, in order; returns, per node, null when it was made with its time, else one
     * line saying why not.
     */
    public String[] makeAll() throws InterruptedIOException {
        String[] failures = new String[count];
        for (int first = 0; first < count; first += NODES_PER_SHELL) {
            int n = Math.min(NODES_PER_SHELL, count - first);
            makeRange(first, n, failures);
        }
        return failures;
    }

    /** Nodes first .. first+n-1 with one shell, their failures into failures[first ..]. */
    private void makeRange(int first, int n, String[] failures) throws InterruptedIOException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", SCRIPT, "sh"));
        command.addAll(arguments.subList(first * ARGUMENTS_PER_NODE, (first + n) * ARGUMENTS_PER_NODE));
        String output;
        try {
            Process proc = new ProcessBuilder(command).redirectErrorStream(true).start();
            output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = proc.waitFor();
            if (status != 0) {
                Arrays.fill(failures, first, first + n, "sh failed (exit status " + status + "): " + output.trim());
                return;
            }
        } catch (IOException e) {
            Arrays.fill(failures, first, first + n, "cannot run sh: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException x = new InterruptedIOException("interrupted while making device nodes and fifos");
            x.initCause(e);
            throw x;
        }
        for (String line : output.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.substring(0, space).chars().allMatch(Character::isDigit)) {
                int index = Integer.parseInt(line.substring(0, space));
                if (index < n) {
                    failures[first + index] = line.substring(space + 1).trim();
                }
            }
        }
    }
}
