package dev.strata.sources.devtable;

import dev.strata.squashfs.tree.NodeType;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * One line of a device or permission table, whatever its format. Paths are absolute image paths;
 * owners are as written (a number, or a name looked up in the image's /etc/passwd and /etc/group).
 */
public sealed interface TableEntry {
    String path();

    /** "table.txt:12" or the spec location of an inline line. */
    String location();

    record Owner(String user, String group) {
    }

    record Directory(String path, int mode, Owner owner, String location) implements TableEntry {
    }

    record Device(String path, NodeType type, int major, int minor, int mode, Owner owner, String location)
            implements TableEntry {
    }

    /** A fifo or a socket. */
    record Ipc(String path, NodeType type, int mode, Owner owner, String location) implements TableEntry {
    }

    record Symlink(String path, String target, Owner owner, String location) implements TableEntry {
    }

    /** A regular file whose content is a host file. */
    record File(String path, Path hostFile, int mode, Owner owner, String location) implements TableEntry {
    }

    /** Another name for the entry at target (which must be a non-directory already in the image). */
    record HardLink(String path, String target, String location) implements TableEntry {
    }

    /**
     * Changes an entry that must already exist: makedevs 'f' (one entry) and 'r' (the entry and
     * everything below it).
     */
    record Modify(String path, OptionalInt mode, Owner owner, boolean recursive, String location)
            implements TableEntry {
    }
}
