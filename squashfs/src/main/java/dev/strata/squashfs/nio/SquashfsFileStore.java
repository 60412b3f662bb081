package dev.strata.squashfs.nio;

import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/** The one store of an image: read-only, as large as the image's bytes_used, with no space free. */
final class SquashfsFileStore extends FileStore {
    private final SquashfsFileSystem fs;

    SquashfsFileStore(SquashfsFileSystem fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return fs.imageFile().toString();
    }

    @Override
    public String type() {
        return "squashfs";
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public long getTotalSpace() {
        return fs.image().superblock().bytesUsed();
    }

    @Override
    public long getUsableSpace() {
        return 0;
    }

    @Override
    public long getUnallocatedSpace() {
        return 0;
    }

    @Override
    public long getBlockSize() {
        return fs.image().blockSize();
    }

    @Override
    public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
        return type == BasicFileAttributeView.class || type == PosixFileAttributeView.class
                || type == FileOwnerAttributeView.class || type == UserDefinedFileAttributeView.class;
    }

    @Override
    public boolean supportsFileAttributeView(String name) {
        return SquashfsFileSystem.VIEWS.contains(name);
    }

    @Override
    public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
        return null;
    }

    @Override
    public Object getAttribute(String attribute) {
        switch (attribute) {
            case "totalSpace":
                return getTotalSpace();
            case "usableSpace":
                return getUsableSpace();
            case "unallocatedSpace":
                return getUnallocatedSpace();
            default:
                throw new UnsupportedOperationException("'" + attribute + "' is not a file store attribute");
        }
    }

    @Override
    public String toString() {
        return name() + " (squashfs, read-only)";
    }
}
