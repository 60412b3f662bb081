package dev.strata.squashfs.nio;

import dev.strata.squashfs.read.ImageEntry;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A directory's entries in stored order (ascending by name bytes), "." and ".." left out, each
 * resolved against the directory's path. One iterator, as the DirectoryStream contract asks; after
 * close it returns no more entries.
 */
final class SquashfsDirectoryStream implements DirectoryStream<Path> {
    private final SquashfsFileSystem fs;
    private final Path dir;
    private final List<ImageEntry> entries;
    private final Filter<? super Path> filter;
    private boolean iteratorTaken;
    private volatile boolean closed;

    SquashfsDirectoryStream(SquashfsFileSystem fs, Path dir, List<ImageEntry> entries, Filter<? super Path> filter) {
        this.fs = fs;
        this.dir = dir;
        this.entries = entries;
        this.filter = filter;
    }

    @Override
    public synchronized Iterator<Path> iterator() {
        if (closed) {
            throw new IllegalStateException("directory stream is closed");
        }
        if (iteratorTaken) {
            throw new IllegalStateException("the iterator of a directory stream can be obtained once");
        }
        iteratorTaken = true;
        return new Iterator<>() {
            private int index;
            private Path next;

            @Override
            public boolean hasNext() {
                while (next == null && !closed && fs.isOpen() && index < entries.size()) {
                    Path candidate = dir.resolve(fs.getPath(entries.get(index++).name().bytes()));
                    try {
                        if (filter == null || filter.accept(candidate)) {
                            next = candidate;
                        }
                    } catch (IOException e) {
                        throw new DirectoryIteratorException(e);
                    }
                }
                return next != null;
            }

            @Override
            public Path next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Path p = next;
                next = null;
                return p;
            }
        };
    }

    @Override
    public void close() {
        closed = true;
    }
}
