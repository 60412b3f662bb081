package dev.strata.squashfs.read;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.format.CorruptImageException;
import dev.strata.squashfs.format.FormatLimits;
import dev.strata.squashfs.format.Superblock;

/**
 * The superblock's fields checked against each other and against the bytes that follow it, before
 * any of them is used to read or allocate. Offsets in errors are the field's offset in the superblock.
 */
final class SuperblockCheck {
    static final int MIN_BLOCK_SIZE = 4096;
    static final int MAX_BLOCK_SIZE = 1 << 20;

    private SuperblockCheck() {
    }

    /** The fields that say how to read the rest: version, block size, compressor. */
    static void checkFormat(Superblock sb) throws CorruptImageException {
        if (sb.versionMajor() != 4 || sb.versionMinor() != 0) {
            throw new CorruptImageException(28, "SquashFS version " + sb.versionMajor() + "." + sb.versionMinor()
                    + " is not supported (only 4.0)");
        }
        int bs = sb.blockSize();
        if (bs < MIN_BLOCK_SIZE || bs > MAX_BLOCK_SIZE || Integer.bitCount(bs) != 1) {
            throw new CorruptImageException(12, "superblock block size " + Integer.toUnsignedString(bs)
                    + " is not a power of two from 4 KiB to 1 MiB");
        }
        if (1 << sb.blockLog() != bs || sb.blockLog() > 20) {
            throw new CorruptImageException(22, "superblock block_log " + sb.blockLog() + " does not match block size "
                    + bs);
        }
        compressor(sb);
    }

    /**
     * The sizes and table positions.
     *
     * @param available bytes of the file from the image start on
     * @param dataStart first byte after the superblock and any compressor options block
     */
    static void checkTables(Superblock sb, long available, long dataStart) throws CorruptImageException {
        if (Long.compareUnsigned(sb.bytesUsed(), Superblock.SIZE) < 0) {
            throw new CorruptImageException(40, "superblock bytes_used " + Long.toUnsignedString(sb.bytesUsed())
                    + " is smaller than the superblock");
        }
        if (Long.compareUnsigned(sb.bytesUsed(), available) > 0) {
            throw new CorruptImageException(40, "image is truncated: the superblock says it is "
                    + Long.toUnsignedString(sb.bytesUsed()) + " bytes long, but only " + available
                    + " bytes follow its start");
        }
        if (sb.inodeCount() == 0) {
            throw new CorruptImageException(4, "superblock inode count is 0 (the root is an inode)");
        }
        if (sb.idCount() == 0) {
            throw new CorruptImageException(26, "superblock id count is 0 (every inode has an owner)");
        }
        long used = sb.bytesUsed();
        if (sb.inodeTableStart() < dataStart || sb.inodeTableStart() >= used) {
            throw new CorruptImageException(64, "inode table start " + Long.toUnsignedString(sb.inodeTableStart())
                    + " is not between the data start " + dataStart + " and bytes_used " + used);
        }
        if (Long.compareUnsigned(sb.directoryTableStart(), sb.inodeTableStart()) <= 0
                || Long.compareUnsigned(sb.directoryTableStart(), used) > 0) {
            throw new CorruptImageException(72, "directory table start "
                    + Long.toUnsignedString(sb.directoryTableStart()) + " is not after the inode table start "
                    + sb.inodeTableStart() + " and within bytes_used " + used);
        }
        long rootBlock = FormatLimits.referenceBlock(sb.rootInodeRef());
        if (rootBlock >= sb.directoryTableStart() - sb.inodeTableStart()
                || (sb.rootInodeRef() >>> 48) != 0) {
            throw new CorruptImageException(32, "root inode reference 0x" + Long.toHexString(sb.rootInodeRef())
                    + " points outside the inode table");
        }
        if (FormatLimits.referenceOffset(sb.rootInodeRef()) >= FormatLimits.METADATA_BLOCK_SIZE) {
            throw new CorruptImageException(32, "root inode reference 0x" + Long.toHexString(sb.rootInodeRef())
                    + " has an offset past a metadata block");
        }
    }

    static CompressorId compressor(Superblock sb) throws CorruptImageException {
        try {
            return CompressorId.fromId(sb.compressionId());
        } catch (IllegalArgumentException e) {
            throw new CorruptImageException(20, "unknown compressor id " + sb.compressionId()
                    + " (1 gzip, 2 lzma, 3 lzo, 4 xz, 5 lz4, 6 zstd)");
        }
    }
}
