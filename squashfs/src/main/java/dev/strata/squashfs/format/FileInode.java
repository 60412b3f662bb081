package dev.strata.squashfs.format;

import java.io.IOException;

/**
 * A regular file inode, basic (type 2) or extended (type 9: hard links, xattrs, sparse, or sizes and
 * offsets past 4 GiB).
 *
 * @param blocksStart    image offset of the first data block
 * @param sparse         bytes saved by leaving out all-zero blocks (extended only)
 * @param fragmentIndex  fragment table index of the tail, or FormatLimits.NONE
 * @param fragmentOffset offset of the tail inside the uncompressed fragment block
 * @param blockSizes     one size word per data block (bit 24 = stored uncompressed, 0 = sparse)
 */
public record FileInode(InodeHeader header, long blocksStart, long fileSize, long sparse, long nlink,
                        int fragmentIndex, int fragmentOffset, int xattrIndex, int[] blockSizes) implements Inode {

    public boolean hasFragment() {
        return fragmentIndex != FormatLimits.NONE;
    }

    @Override
    public void write(LeOutput out) {
        header.write(out);
        if (!header.extended()) {
            out.u32(blocksStart);
            out.u32(fragmentIndex & 0xFFFFFFFFL);
            out.u32(fragmentOffset & 0xFFFFFFFFL);
            out.u32(fileSize);
        } else {
            out.u64(blocksStart);
            out.u64(fileSize);
            out.u64(sparse);
            out.u32(nlink);
            out.u32(fragmentIndex & 0xFFFFFFFFL);
            out.u32(fragmentOffset & 0xFFFFFFFFL);
            out.u32(xattrIndex & 0xFFFFFFFFL);
        }
        for (int size : blockSizes) {
            out.u32(size & 0xFFFFFFFFL);
        }
    }

    /** How many block size words follow a file inode of this size. */
    public static long blockCount(long fileSize, int blockSize, boolean hasFragment) {
        long full = Long.divideUnsigned(fileSize, blockSize);
        return hasFragment || Long.remainderUnsigned(fileSize, blockSize) == 0 ? full : full + 1;
    }

    static FileInode readBody(InodeHeader h, LeInput in, int blockSize, long maxBlockCount) throws IOException {
        long start;
        long size;
        long sparse = 0;
        long nlink = 1;
        int frag;
        int fragOffset;
        int xattr = FormatLimits.NONE;
        if (!h.extended()) {
            start = in.u32();
            frag = in.i32();
            fragOffset = in.i32();
            size = in.u32();
        } else {
            start = in.u64();
            size = in.u64();
            sparse = in.u64();
            nlink = in.u32();
            frag = in.i32();
            fragOffset = in.i32();
            xattr = in.i32();
        }
        long count = blockCount(size, blockSize, frag != FormatLimits.NONE);
        if (size < 0 || count > maxBlockCount) {
            throw new CorruptImageException(in.imageOffset(), "file inode " + h.inodeNumber() + " claims size "
                    + Long.toUnsignedString(size) + " (" + Long.toUnsignedString(count)
                    + " blocks), more than the image can hold, at " + in.position());
        }
        // grown as the words are actually read, so a forged size costs no more memory than the table holds
        int[] blocks = new int[(int) Math.min(count, 1024)];
        for (int i = 0; i < count; i++) {
            if (i == blocks.length) {
                blocks = java.util.Arrays.copyOf(blocks, (int) Math.min(count, 2L * blocks.length));
            }
            blocks[i] = in.i32();
        }
        return new FileInode(h, start, size, sparse, nlink, frag, fragOffset, xattr, blocks);
    }
}
