package dev.strata.squashfs.read;

import dev.strata.squashfs.format.CorruptImageException;
import dev.strata.squashfs.format.FileInode;
import dev.strata.squashfs.format.FormatLimits;
import dev.strata.squashfs.format.FragmentEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Random access to one regular file's bytes: full blocks (stored, compressed or sparse) followed by
 * either a last short block or a tail inside a fragment block. All block positions are checked to lie
 * in the data area when the file is opened; each block is read only when a read reaches it.
 */
final class FileData {
    /** Every this many blocks, the image position of the block is kept, so seeks sum few sizes. */
    private static final int STRIDE = 32;
    private static final byte[] ONE_ZERO = new byte[1];

    private final BlockReader blocks;
    private final long number;
    private final long size;
    private final int blockSize;
    private final int[] words;
    private final long[] checkpoints;
    private final boolean fragmentTail;
    private final FragmentEntry fragment;
    private final int fragmentIndex;
    private final int fragmentOffset;
    private final int tailLength;
    private final long inodeAt;

    private FileData(BlockReader blocks, long number, long size, int[] words, long[] checkpoints,
                     FragmentEntry fragment, int fragmentIndex, int fragmentOffset, int tailLength,
                     boolean fragmentTail, long inodeAt) {
        this.blocks = blocks;
        this.inodeAt = inodeAt;
        this.number = number;
        this.size = size;
        this.blockSize = blocks.blockSize();
        this.words = words;
        this.checkpoints = checkpoints;
        this.fragment = fragment;
        this.fragmentIndex = fragmentIndex;
        this.fragmentOffset = fragmentOffset;
        this.tailLength = tailLength;
        this.fragmentTail = fragmentTail;
    }

    /**
     * @param inodeAt the image offset of the inode's metadata block, for errors in what it says
     */
    static FileData open(BlockReader blocks, FileInode inode, LookupTable fragments, long inodeAt)
            throws IOException {
        long number = inode.header().inodeNumber();
        int bs = blocks.blockSize();
        int[] words = inode.blockSizes();
        long[] checkpoints = new long[(words.length + STRIDE - 1) / STRIDE];
        long pos = inode.blocksStart();
        for (int i = 0; i < words.length; i++) {
            if (i % STRIDE == 0) {
                checkpoints[i / STRIDE] = pos;
            }
            int stored = words[i] & FormatLimits.DATA_SIZE_MASK;
            int index = i;
            blocks.checkDataBlock(pos, words[i], () -> "data block " + index + " of file inode " + number, inodeAt);
            pos += stored;
        }
        long size = inode.fileSize();
        long tail = size - (long) words.length * bs;
        if (!inode.hasFragment()) {
            return new FileData(blocks, number, size, words, checkpoints, null, -1, 0, 0, false, inodeAt);
        }
        if (tail < 0 || tail >= bs) {
            throw new CorruptImageException(inodeAt, "file inode " + number + " of " + size + " bytes has " + words.length
                    + " blocks and a fragment; that leaves a tail of " + tail + " bytes");
        }
        if (tail == 0) {
            return new FileData(blocks, number, size, words, checkpoints, null, -1, 0, 0, false, inodeAt);
        }
        int index = inode.fragmentIndex();
        if (Integer.toUnsignedLong(index) >= fragments.count()) {
            throw new CorruptImageException(inodeAt, "file inode " + number + " names fragment "
                    + Integer.toUnsignedString(index) + " but the image has " + fragments.count());
        }
        MetadataInput in = fragments.entry(index);
        FragmentEntry entry = FragmentEntry.read(in);
        if ((entry.sizeWord() & FormatLimits.DATA_SIZE_MASK) == 0) {
            throw new CorruptImageException(in.imageOffset(), "fragment " + index + " has size 0");
        }
        blocks.checkDataBlock(entry.start(), entry.sizeWord(), () -> "fragment block " + index, in.imageOffset());
        int offset = inode.fragmentOffset();
        if (offset < 0 || offset > bs - tail) {
            throw new CorruptImageException(inodeAt, "file inode " + number + " has a tail of " + tail
                    + " bytes at offset " + Integer.toUnsignedString(offset) + " of fragment " + index
                    + ", past a block of " + bs);
        }
        return new FileData(blocks, number, size, words, checkpoints, entry, index, offset, (int) tail, true, inodeAt);
    }

    long size() {
        return size;
    }

    int blockSize() {
        return blockSize;
    }

    /** Whether the block holding byte pos is a sparse (all-zero, not stored) block. */
    boolean isHole(long pos) {
        long i = pos / blockSize;
        return i < words.length && words[(int) i] == 0;
    }

    /**
     * Reads up to len bytes at pos into dst; stops at a block boundary.
     *
     * @return the number of bytes read, or -1 at the end of the file
     */
    int read(long pos, byte[] dst, int off, int len) throws IOException {
        if (pos >= size) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        long blockIndex = pos / blockSize;
        int inBlock = (int) (pos % blockSize);
        if (blockIndex < words.length) {
            int i = (int) blockIndex;
            int expected = (int) Math.min(blockSize, size - (long) i * blockSize);
            if (fragmentTail) {
                expected = blockSize;
            }
            int n = Math.min(len, expected - inBlock);
            int word = words[i];
            if (word == 0) {
                Arrays.fill(dst, off, off + n, (byte) 0);
                return n;
            }
            BlockCache.Block block = blocks.data(blockStart(i), word, expected,
                    () -> "data block " + i + " of file inode " + number);
            System.arraycopy(block.data(), inBlock, dst, off, n);
            return n;
        }
        if (!fragmentTail) {
            throw new CorruptImageException(inodeAt, "file inode " + number + " of " + size + " bytes has only "
                    + words.length + " blocks and no fragment");
        }
        BlockCache.Block block = blocks.data(fragment.start(), fragment.sizeWord(), -1,
                () -> "fragment block " + fragmentIndex);
        if (fragmentOffset + tailLength > block.length()) {
            throw new CorruptImageException(fragment.start(), "file inode " + number + " has a tail of " + tailLength
                    + " bytes at offset " + fragmentOffset + " of fragment " + fragmentIndex + ", which holds "
                    + block.length() + " bytes");
        }
        int n = Math.min(len, tailLength - inBlock);
        System.arraycopy(block.data(), fragmentOffset + inBlock, dst, off, n);
        return n;
    }

    /** Full or partial data blocks of the file (the tail in a fragment, if any, not counted). */
    int blockCount() {
        return words.length;
    }

    /**
     * Writes blocks [first, end) to their places in out, and the fragment tail when withTail: parts of
     * one file can be written by several threads at once, since every write says where it goes. Full
     * blocks are decompressed straight into a buffer (not the cache); sparse blocks are left as
     * holes, and if the file ends in one its last byte is written, so the file gets its full length.
     */
    void transferTo(FileChannel out, int first, int end, boolean withTail) throws IOException {
        long pos = first < words.length ? blockStart(first) : 0;
        for (int i = first; i < end; i++) {
            long at = (long) i * blockSize;
            int expected = fragmentTail ? blockSize : (int) Math.min(blockSize, size - at);
            int word = words[i];
            if (word == 0) {
                if (at + expected == size) {
                    write(out, ONE_ZERO, 0, 1, size - 1);
                }
                continue;
            }
            int index = i;
            ByteBuffer block = blocks.streamedData(pos, word, expected, () -> "data block " + index + " of file inode "
                    + number);
            while (block.hasRemaining()) {
                out.write(block, at + block.position());
            }
            pos += word & FormatLimits.DATA_SIZE_MASK;
        }
        if (withTail && fragmentTail) {
            try (PinnedBlocks.Lease block = fragmentBlock()) {
                writeTail(out, block.data(), (long) words.length * blockSize);
            }
        }
    }

    /** Whether all of the file is a tail in a fragment block: no blocks of its own. */
    boolean onlyFragmentTail() {
        return words.length == 0 && fragmentTail;
    }

    /** The fragment block holding the tail; only when {@link #onlyFragmentTail()}. */
    int fragmentIndex() {
        return fragmentIndex;
    }

    /**
     * The fragment block holding the tail, for streaming out ({@link BlockReader#streamedFragment}):
     * files stored once (duplicates) share a tail wherever the walk meets them. Only when the file has
     * a tail in a fragment.
     */
    PinnedBlocks.Lease fragmentBlock() throws IOException {
        return blocks.streamedFragment(fragment.start(), fragment.sizeWord(), () -> "fragment block " + fragmentIndex);
    }

    /** Writes the tail to out at position at, from its fragment block's bytes as {@link #fragmentBlock()} gave them. */
    void writeTail(FileChannel out, ByteBuffer block, long at) throws IOException {
        if (fragmentOffset + tailLength > block.limit()) {
            throw new CorruptImageException(fragment.start(), "file inode " + number + " has a tail of " + tailLength
                    + " bytes at offset " + fragmentOffset + " of fragment " + fragmentIndex + ", which holds "
                    + block.limit() + " bytes");
        }
        ByteBuffer tail = block.slice(fragmentOffset, tailLength);
        while (tail.hasRemaining()) {
            out.write(tail, at + tail.position());
        }
    }

    private static void write(FileChannel out, byte[] b, int off, int len, long at) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        while (buffer.hasRemaining()) {
            out.write(buffer, at + (buffer.position() - off));
        }
    }

    private long blockStart(int i) {
        int c = i / STRIDE;
        long pos = checkpoints[c];
        for (int j = c * STRIDE; j < i; j++) {
            pos += words[j] & FormatLimits.DATA_SIZE_MASK;
        }
        return pos;
    }
}
