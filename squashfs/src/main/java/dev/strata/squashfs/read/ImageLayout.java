package dev.strata.squashfs.read;

/**
 * Where the parts of an image are, after validation. All positions are relative to the image start;
 * an absent table has size 0.
 *
 * @param dataStart          first byte after the superblock and compressor options block
 * @param inodeTableStart    also the end of the data and fragment blocks
 * @param directoryTableEnd  where the first lookup table's blocks start
 */
public record ImageLayout(long dataStart, long inodeTableStart, long directoryTableStart, long directoryTableEnd,
                          long fragmentTableBytes, long exportTableBytes, long idTableBytes, long xattrTableBytes,
                          long bytesUsed) {

    public long dataBytes() {
        return inodeTableStart - dataStart;
    }

    public long inodeTableBytes() {
        return directoryTableStart - inodeTableStart;
    }

    public long directoryTableBytes() {
        return directoryTableEnd - directoryTableStart;
    }
}
