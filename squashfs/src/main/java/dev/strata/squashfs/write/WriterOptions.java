package dev.strata.squashfs.write;

import dev.strata.squashfs.compress.Compressor;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Everything that decides the bytes of an image besides the tree. Immutable; build with
 * {@link #builder(Compressor)}.
 *
 * @param blockSize       data block size, a power of two from 4 KiB to 1 MiB
 * @param pad             pad the image to a multiple of 4 KiB (mksquashfs default; -nopad turns it off)
 * @param fragments       fragment policy
 * @param deduplicate     store identical files once (mksquashfs default; -no-duplicates turns it off)
 * @param exportTable     write the NFS export table (mksquashfs default; -no-exports turns it off)
 * @param xattrs          write extended attributes (-no-xattrs turns it off)
 * @param mkfsTime        superblock modification time; empty means "now" unless SOURCE_DATE_EPOCH is applied by the caller
 * @param processors      threads compressing data blocks; the output never depends on it
 * @param uncompressed    parts stored without compression (mksquashfs -noI, -noId, -noD, -noF, -noX)
 * @param sparse          leave all-zero blocks out of the image (mksquashfs default; -no-sparse stores them)
 * @param hardLinks       write a node reached through several names as one inode (mksquashfs default;
 *                        -no-hardlinks writes an inode per name, and duplicate detection shares the data)
 * @param sortPriorities  mksquashfs -sort: tree paths as {@link dev.strata.squashfs.tree.FileTree#walk} gives
 *                        them ("/usr/lib") to priorities from -32768 to 32767, which order the file data
 *                        (see {@link DataOrder}); empty for the inode order
 * @param fileOffset      where the image starts in the output file (mksquashfs -offset); the bytes before
 *                        it are zeros, and padding is counted from the image's start
 */
public record WriterOptions(Compressor compressor, int blockSize, boolean pad, FragmentPolicy fragments,
                            boolean deduplicate, boolean exportTable, boolean xattrs, OptionalLong mkfsTime,
                            int processors, Set<UncompressedPart> uncompressed, boolean sparse,
                            boolean hardLinks, Map<String, Integer> sortPriorities, long fileOffset) {
    public static final int MIN_BLOCK_SIZE = 4096;
    public static final int MAX_BLOCK_SIZE = 1 << 20;
    public static final int DEFAULT_BLOCK_SIZE = 128 * 1024;

    public WriterOptions {
        Objects.requireNonNull(compressor, "compressor");
        if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size " + blockSize
                    + " is not a power of two between 4K and 1M");
        }
        if (processors < 1) {
            throw new IllegalArgumentException("processors must be at least 1, got " + processors);
        }
        Objects.requireNonNull(fragments, "fragments");
        Objects.requireNonNull(mkfsTime, "mkfsTime");
        sortPriorities = Map.copyOf(sortPriorities);
        if (fileOffset < 0) {
            throw new IllegalArgumentException("the image cannot start before the file, at " + fileOffset);
        }
        uncompressed = Collections.unmodifiableSet(uncompressed.isEmpty()
                ? EnumSet.noneOf(UncompressedPart.class) : EnumSet.copyOf(uncompressed));
    }

    /** Whether this part of the image is compressed. */
    public boolean compresses(UncompressedPart part) {
        return !uncompressed.contains(part);
    }

    public int blockLog() {
        return Integer.numberOfTrailingZeros(blockSize);
    }

    public static Builder builder(Compressor compressor) {
        return new Builder(compressor);
    }

    public Builder toBuilder() {
        Builder b = new Builder(compressor);
        b.blockSize = blockSize;
        b.pad = pad;
        b.fragments = fragments;
        b.deduplicate = deduplicate;
        b.exportTable = exportTable;
        b.xattrs = xattrs;
        b.mkfsTime = mkfsTime;
        b.processors = processors;
        b.uncompressed = uncompressed;
        b.sparse = sparse;
        b.hardLinks = hardLinks;
        b.sortPriorities = sortPriorities;
        b.fileOffset = fileOffset;
        return b;
    }

    /** Defaults match mksquashfs 4.5. */
    public static final class Builder {
        private Compressor compressor;
        private int blockSize = DEFAULT_BLOCK_SIZE;
        private boolean pad = true;
        private FragmentPolicy fragments = FragmentPolicy.SMALL_FILES;
        private boolean deduplicate = true;
        private boolean exportTable = true;
        private boolean xattrs = true;
        private OptionalLong mkfsTime = OptionalLong.empty();
        private int processors = Runtime.getRuntime().availableProcessors();
        private Set<UncompressedPart> uncompressed = Set.of();
        private boolean sparse = true;
        private boolean hardLinks = true;
        private Map<String, Integer> sortPriorities = Map.of();
        private long fileOffset;

        private Builder(Compressor compressor) {
            this.compressor = compressor;
        }

        public Builder compressor(Compressor c) {
            this.compressor = c;
            return this;
        }

        public Builder blockSize(int v) {
            this.blockSize = v;
            return this;
        }

        public Builder pad(boolean v) {
            this.pad = v;
            return this;
        }

        public Builder fragments(FragmentPolicy v) {
            this.fragments = v;
            return this;
        }

        public Builder deduplicate(boolean v) {
            this.deduplicate = v;
            return this;
        }

        public Builder exportTable(boolean v) {
            this.exportTable = v;
            return this;
        }

        public Builder xattrs(boolean v) {
            this.xattrs = v;
            return this;
        }

        public Builder mkfsTime(long seconds) {
            this.mkfsTime = OptionalLong.of(seconds);
            return this;
        }

        public Builder processors(int v) {
            this.processors = v;
            return this;
        }

        public Builder uncompressed(Set<UncompressedPart> parts) {
            this.uncompressed = Objects.requireNonNull(parts, "parts");
            return this;
        }

        public Builder sparse(boolean v) {
            this.sparse = v;
            return this;
        }

        public Builder hardLinks(boolean v) {
            this.hardLinks = v;
            return this;
        }

        public Builder sortPriorities(Map<String, Integer> v) {
            this.sortPriorities = v;
            return this;
        }

        public Builder fileOffset(long v) {
            this.fileOffset = v;
            return this;
        }

        public WriterOptions build() {
            return new WriterOptions(compressor, blockSize, pad, fragments, deduplicate, exportTable, xattrs,
                    mkfsTime, processors, uncompressed, sparse, hardLinks, sortPriorities, fileOffset);
        }
    }
}
