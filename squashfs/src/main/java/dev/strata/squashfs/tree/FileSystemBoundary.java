package dev.strata.squashfs.tree;

import java.nio.file.Path;

/**
 * What a tree load does with the entries of a source directory that lie on another file system
 * (mounts inside it), as mksquashfs 4.6's -one-file-system and -one-file-system-x have it.
 */
public interface FileSystemBoundary {
    /**
     * Whether a directory on the other side becomes an empty directory with its own metadata
     * (-one-file-system: the mount point stays) instead of being left out like any other entry there
     * (-one-file-system-x, and mksquashfs 4.5's -one-file-system).
     */
    boolean keepsEmptyDirectories();

    /** Told of each entry on the other side: kept as an empty directory, or left out. */
    void crossed(Path path, boolean keptAsEmptyDirectory);
}
