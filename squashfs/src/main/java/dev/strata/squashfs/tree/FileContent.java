package dev.strata.squashfs.tree;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a regular file's bytes come from. Content is opened lazily, once per write, so trees of any
 * size can be described without holding file data in memory.
 */
public interface FileContent {
    /** The size the file must have when read; a different length read back is an error. */
    long size();

    InputStream open() throws IOException;

    /** Where the bytes come from, for error messages (a path, "inline", an archive member). */
    String origin();

    /** Supplies a fresh stream each call. */
    @FunctionalInterface
    interface StreamSupplier {
        InputStream open() throws IOException;
    }

    static FileContent of(byte[] data) {
        byte[] copy = data.clone();
        return new FileContent() {
            @Override
            public long size() {
                return copy.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(copy);
            }

            @Override
            public String origin() {
                return "inline data";
            }
        };
    }

    /** The file at path; its size is taken now, so a file that changes later is detected. */
    static FileContent of(Path path) throws IOException {
        long size = Files.size(path);
        return of(path, size);
    }

    static FileContent of(Path path, long size) {
        return new FileContent() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(path);
            }

            @Override
            public String origin() {
                return path.toString();
            }
        };
    }

    static FileContent of(long size, String origin, StreamSupplier supplier) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + origin);
        }
        return new FileContent() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return supplier.open();
            }

            @Override
            public String origin() {
                return origin;
            }
        };
    }
}
