package dev.strata.squashfs.read;

import dev.strata.squashfs.format.CorruptImageException;
import dev.strata.squashfs.format.LeInput;
import java.io.IOException;

/**
 * Little-endian fields from a run of metadata blocks, continuing from one block into the next; never
 * reads past the end of its table.
 */
final class MetadataInput implements LeInput {
    /** No single field of the format is longer than this (an xattr value). */
    static final int MAX_BYTES = 1 << 16;

    private final BlockReader blocks;
    private final String table;
    private final long end;
    private long blockPos;
    private int offset;
    private BlockCache.Block block;
    private long consumed;

    MetadataInput(BlockReader blocks, String table, long blockPos, int offset, long end) {
        this.blocks = blocks;
        this.table = table;
        this.blockPos = blockPos;
        this.offset = offset;
        this.end = end;
    }

    /** Bytes read so far. */
    long consumed() {
        return consumed;
    }

    private BlockCache.Block current() throws IOException {
        if (block == null) {
            block = blocks.metadata(blockPos, end, table);
            if (offset > block.length()) {
                throw new CorruptImageException(blockPos, table + " reference to offset " + offset
                        + " of a metadata block that holds " + block.length() + " bytes");
            }
        }
        while (offset == block.length()) {
            long next = block.end();
            if (next >= end) {
                throw new CorruptImageException(blockPos, table + " ends inside a structure that starts in the block at"
                        + " byte " + blockPos + " (the table ends at byte " + end + ")");
            }
            blockPos = next;
            offset = 0;
            block = blocks.metadata(blockPos, end, table);
        }
        return block;
    }

    @Override
    public int u8() throws IOException {
        BlockCache.Block b = current();
        consumed++;
        return b.data()[offset++] & 0xFF;
    }

    @Override
    public int u16() throws IOException {
        return u8() | u8() << 8;
    }

    @Override
    public short s16() throws IOException {
        return (short) u16();
    }

    @Override
    public long u32() throws IOException {
        return i32() & 0xFFFFFFFFL;
    }

    @Override
    public int i32() throws IOException {
        BlockCache.Block b = current();
        if (b.length() - offset >= 4) {
            byte[] d = b.data();
            int v = (d[offset] & 0xFF) | (d[offset + 1] & 0xFF) << 8 | (d[offset + 2] & 0xFF) << 16
                    | (d[offset + 3] & 0xFF) << 24;
            offset += 4;
            consumed += 4;
            return v;
        }
        return u16() | u16() << 16;
    }

    @Override
    public long u64() throws IOException {
        return u32() | u32() << 32;
    }

    @Override
    public byte[] bytes(int n) throws IOException {
        if (n < 0 || n > MAX_BYTES) {
            throw new CorruptImageException(blockPos, table + " field of " + n + " bytes at " + position()
                    + " is longer than any the format has");
        }
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            BlockCache.Block b = current();
            int k = Math.min(n - done, b.length() - offset);
            System.arraycopy(b.data(), offset, out, done, k);
            offset += k;
            done += k;
            consumed += k;
        }
        return out;
    }

    /** Skips n bytes without copying them. */
    void skip(long n) throws IOException {
        while (n > 0) {
            BlockCache.Block b = current();
            int k = (int) Math.min(n, b.length() - offset);
            offset += k;
            n -= k;
            consumed += k;
        }
    }

    @Override
    public String position() {
        return mark().toString();
    }

    @Override
    public Object mark() {
        return new Mark(table, blockPos, offset);
    }

    private record Mark(String table, long blockPos, int offset) {
        @Override
        public String toString() {
            return table + " block at byte " + blockPos + ", offset " + offset;
        }
    }

    @Override
    public long imageOffset() {
        return blockPos;
    }
}
