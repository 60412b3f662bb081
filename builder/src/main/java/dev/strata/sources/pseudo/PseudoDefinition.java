package dev.strata.sources.pseudo;

import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.NodeType;

/**
 * One mksquashfs pseudo definition. path is relative to the image root with '/' separators and no
 * leading '/' ("" is the root directory itself).
 */
public sealed interface PseudoDefinition {
    Location location();

    String path();

    /** {@code name d mode uid gid} / {@code name D time mode uid gid}. */
    record Directory(Location location, String path, PseudoAttributes attributes) implements PseudoDefinition {
    }

    /** {@code name b|c mode uid gid major minor} (and B, C with a time). */
    record Device(Location location, String path, NodeType type, PseudoAttributes attributes, int major, int minor)
            implements PseudoDefinition {
    }

    /** {@code name s mode uid gid target} (S with a time); the mode is ignored, symlinks are 0777. */
    record Symlink(Location location, String path, PseudoAttributes attributes, String target)
            implements PseudoDefinition {
    }

    /** {@code name i mode uid gid f|s} (I with a time): a fifo or a socket. */
    record Ipc(Location location, String path, NodeType type, PseudoAttributes attributes)
            implements PseudoDefinition {
    }

    /** {@code name f mode uid gid command} (F with a time): the command's standard output. */
    record DynamicFile(Location location, String path, PseudoAttributes attributes, String command)
            implements PseudoDefinition {
    }

    /** {@code name R time mode uid gid length offset [sparse]}: data stored in the pseudo file itself. */
    record InlineFile(Location location, String path, PseudoAttributes attributes, FileContent content)
            implements PseudoDefinition {
    }

    /** {@code name m mode uid gid} (M with a time): changes an entry that exists in the sources. */
    record Modify(Location location, String path, PseudoAttributes attributes) implements PseudoDefinition {
    }

    /** {@code name x name=value}: adds an extended attribute. */
    record Xattr(Location location, String path, String name, byte[] value) implements PseudoDefinition {
    }

    /** {@code name l hostpath}: a hard link to a file of the build host (its node if it is in a source). */
    record HostLink(Location location, String path, String hostPath) implements PseudoDefinition {
    }

    /** {@code name L pseudopath}: a hard link to an entry made by an earlier pseudo definition. */
    record PseudoLink(Location location, String path, String target) implements PseudoDefinition {
    }
}
