package dev.strata.squashfs.tree;

import java.io.IOException;
import java.nio.file.Path;

/** A source directory that cannot be read into the tree model; names the path at fault. */
public class TreeLoadException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path path;

    public TreeLoadException(Path path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
