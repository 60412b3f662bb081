package dev.strata.overlay.merge.nio;

import java.nio.file.FileStore;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;

/** The one, read-only store of a merged view. */
final class MergedFileStore extends FileStore {
    private final MergedFileSystem fs;

    MergedFileStore(MergedFileSystem fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "overlay";
    }

    @Override
    public String type() {
        return "overlay";
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public long getTotalSpace() {
        return 0;
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
    public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
        return type == java.nio.file.attribute.BasicFileAttributeView.class
                || type == java.nio.file.attribute.PosixFileAttributeView.class;
    }

    @Override
    public boolean supportsFileAttributeView(String name) {
        return fs.supportedFileAttributeViews().contains(name);
    }

    @Override
    public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
        return null;
    }

    @Override
    public Object getAttribute(String attribute) {
        throw new UnsupportedOperationException(attribute);
    }
}
