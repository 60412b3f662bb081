package dev.strata.squashfs.write;

import dev.strata.squashfs.format.FormatLimits;

/** Where one regular file's data ended up: filled in as its blocks are written. */
final class FileLayout {
    final long size;
    long blocksStart;
    boolean started;
    int[] blockSizes;
    int fragmentIndex = FormatLimits.NONE;
    int fragmentOffset;
    long sparseBytes;

    FileLayout(long size, int blockCount) {
        this.size = size;
        this.blockSizes = new int[blockCount];
    }

    void copyFrom(FileLayout original) {
        blocksStart = original.blocksStart;
        blockSizes = original.blockSizes;
        fragmentIndex = original.fragmentIndex;
        fragmentOffset = original.fragmentOffset;
        sparseBytes = original.sparseBytes;
    }
}
