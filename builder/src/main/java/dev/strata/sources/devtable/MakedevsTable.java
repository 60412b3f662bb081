package dev.strata.sources.devtable;

import dev.strata.squashfs.tree.NodeType;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Buildroot's makedevs device table: {@code name type mode uid gid major minor start inc count},
 * '-' for fields a type does not use, '#' comments. Types: d (directory, created), f (existing file:
 * mode and owner), r (existing directory, recursively), c and b (devices), p (fifo). With a count,
 * {@code /dev/ttyS c 666 0 0 4 64 0 1 4} makes ttyS0..ttyS3 with minors 64..67.
 */
public final class MakedevsTable {
    private static final int MAX_COUNT = 4096;

    private MakedevsTable() {
    }

    public static List<TableEntry> parse(List<TableLine> lines) throws TableException {
        List<TableEntry> out = new ArrayList<>();
        for (TableLine line : lines) {
            String text = line.text().strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] f = text.split("\\s+");
            String at = line.location();
            if (f.length < 5) {
                throw new TableException(at, "expected 'name type mode uid gid major minor start inc count',"
                        + " got " + f.length + " field" + (f.length == 1 ? "" : "s"));
            }
            if (f.length > 10) {
                throw new TableException(at, "more than 10 fields (" + f.length + ")");
            }
            String path = TablePaths.absolute(f[0], at);
            if (f[1].length() != 1) {
                throw new TableException(at, "type '" + f[1] + "' is not one of d, f, r, c, b, p");
            }
            char type = f[1].charAt(0);
            int mode = TablePaths.octalMode(f[2], at);
            TableEntry.Owner owner = new TableEntry.Owner(f[3], f[4]);
            switch (type) {
                case 'd' -> out.add(new TableEntry.Directory(path, mode, owner, at));
                case 'f' -> out.add(new TableEntry.Modify(path, OptionalInt.of(mode), owner, false, at));
                case 'r' -> out.add(new TableEntry.Modify(path, OptionalInt.of(mode), owner, true, at));
                case 'p' -> out.add(new TableEntry.Ipc(path, NodeType.FIFO, mode, owner, at));
                case 'c', 'b' -> {
                    NodeType nt = type == 'c' ? NodeType.CHAR_DEVICE : NodeType.BLOCK_DEVICE;
                    long major = number(f, 5, at, "major");
                    long minor = number(f, 6, at, "minor");
                    long start = number(f, 7, at, "start");
                    long inc = number(f, 8, at, "inc");
                    long count = number(f, 9, at, "count");
                    if (count > MAX_COUNT) {
                        throw new TableException(at, "count " + count + " is more than " + MAX_COUNT);
                    }
                    if (count == 0) {
                        out.add(device(path, nt, major, minor, mode, owner, at));
                    } else {
                        for (long i = start; i < start + count; i++) {
                            out.add(device(path + i, nt, major, minor + (i - start) * inc, mode, owner, at));
                        }
                    }
                }
                default -> throw new TableException(at, "type '" + type + "' is not one of d, f, r, c, b, p");
            }
        }
        return out;
    }

    private static TableEntry device(String path, NodeType type, long major, long minor, int mode,
                                     TableEntry.Owner owner, String at) throws TableException {
        if (major > 0xFFF || minor > 0xFFFFF) {
            throw new TableException(at, "device number " + major + ":" + minor
                    + " out of range (major 0..4095, minor 0..1048575)");
        }
        return new TableEntry.Device(path, type, (int) major, (int) minor, mode, owner, at);
    }

    /** A numeric field; '-' or a missing field is 0, as makedevs' sscanf leaves it. */
    private static long number(String[] f, int index, String at, String what) throws TableException {
        if (index >= f.length || f[index].equals("-")) {
            return 0;
        }
        if (!f[index].matches("[0-9]{1,9}")) {
            throw new TableException(at, what + " '" + f[index] + "' is not a number");
        }
        return Long.parseLong(f[index]);
    }
}
