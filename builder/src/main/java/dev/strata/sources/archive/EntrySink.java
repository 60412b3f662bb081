package dev.strata.sources.archive;

import dev.strata.squashfs.tree.Node;
import java.io.IOException;

/** Where unpacked entries go: paths are '/'-separated and relative to the destination ("" is the destination). */
public interface EntrySink {
    /** Puts node at the path; a later entry for the same path wins. */
    void put(String relativePath, Node node) throws IOException;

    /** The entry already at the path (symlinks on the way followed inside the image, not the last one), or null. */
    Node lookup(String relativePath) throws IOException;
}
