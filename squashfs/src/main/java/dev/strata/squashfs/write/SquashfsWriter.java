package dev.strata.squashfs.write;

import dev.strata.squashfs.tree.FileTree;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a tree model as a SquashFS 4.0 image. */
public final class SquashfsWriter {
    private final WriterOptions options;

    public SquashfsWriter(WriterOptions options) {
        this.options = options;
    }

    /**
     * Writes the image to a temporary file beside output and renames it into place, so a failed
     * write never leaves a partial image at output.
     */
    public WriteResult write(FileTree tree, Path output) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }
}
