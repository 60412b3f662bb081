package dev.strata.squashfs.read;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One regular file written as runs of blocks, possibly by several threads at once: the first run to
 * start creates the file, the last to finish closes it and then sets its metadata (its time only after
 * the last write). Creating it here, on a writing thread, keeps the walk that makes the directories
 * from waiting for file creation, the costliest system call of an extraction.
 */
final class FileRuns {
    /** Blocks one thread decompresses and writes in one go (1 MiB at the default block size). */
    static final int BLOCKS_PER_RUN = 8;

    private final Path path;
    private final FileAttribute<?>[] mode;
    private final FileData data;
    private final Consumer<FileSystemException> notMade;
    private final Runnable whenWritten;
    private final int runs;
    private final AtomicInteger unfinished;
    private FileChannel channel; // guarded by this
    private boolean failed; // guarded by this

    /**
     * @param mode        what path is created with: its permissions, or nothing (see {@link CreationDefaults})
     * @param channel     the file, already created (to carry xattrs first), or null to create path
     * @param notMade     told, once, when path cannot be created; the file's runs are then skipped
     * @param whenWritten run after the file is complete and closed: owner, mode, time
     */
    FileRuns(Path path, FileAttribute<?>[] mode, FileChannel channel, FileData data,
             Consumer<FileSystemException> notMade, Runnable whenWritten) {
        this.path = path;
        this.mode = mode;
        this.channel = channel;
        this.data = data;
        this.notMade = notMade;
        this.whenWritten = whenWritten;
        this.runs = Math.max(1, (data.blockCount() + BLOCKS_PER_RUN - 1) / BLOCKS_PER_RUN);
        this.unfinished = new AtomicInteger(runs);
    }

    int runs() {
        return runs;
    }

    /** Writes run r (of {@link #runs()}) to its place in the file; the last run also writes the tail. */
    void write(int r) throws IOException {
        boolean complete = false;
        try {
            FileChannel out = channel();
            if (out != null) {
                int first = r * BLOCKS_PER_RUN;
                data.transferTo(out, first, Math.min(data.blockCount(), first + BLOCKS_PER_RUN), r == runs - 1);
                complete = true;
            }
        } finally {
            finish(complete);
        }
    }

    private synchronized FileChannel channel() throws IOException {
        if (channel == null && !failed) {
            try {
                channel = create(path, mode);
            } catch (FileSystemException e) {
                failed = true;
                notMade.accept(e);
            }
        }
        return failed ? null : channel;
    }

    private static final Set<OpenOption> NEW_FILE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    /** A new file at path, never through a symbolic link, created with mode (permissions, or nothing). */
    static FileChannel create(Path path, FileAttribute<?>... mode) throws IOException {
        return FileChannel.open(path, NEW_FILE, mode);
    }

    private void finish(boolean complete) throws IOException {
        if (!complete) {
            synchronized (this) {
                failed = true;
            }
        }
        if (unfinished.decrementAndGet() > 0) {
            return;
        }
        boolean ok;
        synchronized (this) {
            ok = !failed;
            if (channel != null) {
                channel.close();
            }
        }
        if (ok) {
            whenWritten.run();
        }
    }
}
