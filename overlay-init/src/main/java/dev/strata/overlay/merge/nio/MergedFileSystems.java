package dev.strata.overlay.merge.nio;

import dev.strata.overlay.merge.MergedTree;

/** Entry point: a read-only java.nio.file view of a merged tree. */
public final class MergedFileSystems {
    private static final MergedFileSystemProvider PROVIDER = new MergedFileSystemProvider();

    private MergedFileSystems() {
    }

    public static MergedFileSystem of(MergedTree tree) {
        return new MergedFileSystem(PROVIDER, tree);
    }
}
