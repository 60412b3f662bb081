package dev.strata.squashfs.write;

import dev.strata.squashfs.tree.FileTree;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

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
        Path absolute = output.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".partial");
        boolean done = false;
        try {
            WriteResult result;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                result = write(tree, channel);
                channel.force(false);
            }
            Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            return result;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Writes the image to the start of an open channel (positions are absolute from 0). */
    public WriteResult write(FileTree tree, FileChannel channel) throws IOException {
        return new ImageBuild(options.hardLinks() ? tree : SeparatedLinks.of(tree), options).writeTo(channel);
    }
}
