package dev.strata.squashfs.read;

import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.format.ByteBufferLe;
import dev.strata.squashfs.format.CorruptImageException;
import dev.strata.squashfs.format.FormatLimits;
import dev.strata.squashfs.format.Superblock;
import dev.strata.squashfs.format.SuperblockFlags;
import dev.strata.squashfs.format.XattrTableHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Everything found from the superblock on opening an image: the validated superblock, the
 * decompressor, and the tables with their extents. The lookup tables are located from the end of the
 * image backwards, each index array bounded by the table after it, the way the kernel checks them.
 */
final class ImageTables {
    /** The longest options block any compressor writes is 8 bytes; this leaves room. */
    private static final int MAX_OPTIONS = 64;
    final Superblock superblock;
    final CompressorId compressorId;
    final Compressor compressor;
    final byte[] compressorOptions;
    final ImageChannel image;
    final BlockReader blocks;
    final MetadataTable inodes;
    final MetadataTable directories;
    final LookupTable fragments;
    final LookupTable export;
    final LookupTable ids;
    final LookupTable xattrIds;
    final MetadataTable xattrValues;
    final ImageLayout layout;
    final ReaderOptions options;

    private ImageTables(ReaderOptions options, Superblock superblock, CompressorId compressorId, Compressor compressor,
                        byte[] compressorOptions, ImageChannel image, BlockReader blocks, MetadataTable inodes,
                        MetadataTable directories, LookupTable fragments, LookupTable export, LookupTable ids,
                        LookupTable xattrIds, MetadataTable xattrValues, ImageLayout layout) {
        this.superblock = superblock;
        this.compressorId = compressorId;
        this.compressor = compressor;
        this.compressorOptions = compressorOptions;
        this.image = image;
        this.blocks = blocks;
        this.inodes = inodes;
        this.directories = directories;
        this.fragments = fragments;
        this.export = export;
        this.ids = ids;
        this.xattrIds = xattrIds;
        this.xattrValues = xattrValues;
        this.layout = layout;
        this.options = options;
    }

    static ImageTables open(FileChannel channel, long offset, ReaderOptions options) throws IOException {
        long fileSize = channel.size();
        if (offset < 0 || offset > fileSize) {
            throw new CorruptImageException(0, "no image at offset " + offset + ": the file has " + fileSize + " bytes");
        }
        long available = fileSize - offset;
        ImageChannel whole = new ImageChannel(channel, offset, available);
        int present = (int) Math.min(Superblock.SIZE, available);
        byte[] head = new byte[Superblock.SIZE];
        whole.readFully(0, head, 0, present, "superblock");
        if (present >= 4) {
            Superblock.read(new ByteBufferLe(ByteBuffer.wrap(head), 0, "superblock")); // the magic, before the size
        }
        if (present < Superblock.SIZE) {
            throw new CorruptImageException(0, "image is truncated: " + available + " bytes, the superblock alone needs "
                    + Superblock.SIZE);
        }
        Superblock sb = Superblock.read(new ByteBufferLe(ByteBuffer.wrap(head), 0, "superblock"));
        SuperblockCheck.checkFormat(sb);
        CompressorId id = SuperblockCheck.compressor(sb);

        byte[] compressorOptions = null;
        long dataStart = Superblock.SIZE;
        if (sb.hasFlag(SuperblockFlags.COMPRESSOR_OPTIONS)) {
            BlockCache.Block block = readOptionsBlock(whole, sb, id, options);
            compressorOptions = java.util.Arrays.copyOf(block.data(), block.length());
            dataStart = block.end();
        }
        SuperblockCheck.checkTables(sb, available, dataStart);
        Compressor compressor = makeCompressor(options, id, compressorOptions, sb.blockSize());
        compressor.prepareToDecompress();

        ImageChannel image = whole.withLimit(sb.bytesUsed());
        BlockReader blocks = new BlockReader(image, compressor, sb.blockSize(), dataStart, sb.inodeTableStart(),
                options);
        long lowest = sb.directoryTableStart();
        long next = sb.bytesUsed();

        LookupTable xattrIds = null;
        MetadataTable xattrValues = null;
        long xattrBytes = 0;
        if (sb.xattrIdTableStart() != Superblock.NO_TABLE) {
            long start = sb.xattrIdTableStart();
            if (Long.compareUnsigned(start, lowest) < 0 || Long.compareUnsigned(start, next - XattrTableHeader.SIZE) > 0) {
                throw new CorruptImageException(56, "xattr table start " + Long.toUnsignedString(start)
                        + " is not between the directory table start " + lowest + " and bytes_used " + next);
            }
            byte[] raw = image.read(start, XattrTableHeader.SIZE, "xattr table header");
            XattrTableHeader header = XattrTableHeader.read(new ByteBufferLe(ByteBuffer.wrap(raw), start,
                    "xattr table header"));
            xattrIds = LookupTable.read("xattr id table", image, blocks, start + XattrTableHeader.SIZE,
                    header.idCount(), FormatLimits.XATTR_ID_ENTRY_SIZE, lowest, next);
            long kv = header.kvStart();
            if (Long.compareUnsigned(kv, lowest) < 0 || Long.compareUnsigned(kv, xattrIds.firstBlock()) > 0) {
                throw new CorruptImageException(start, "xattr key/value area start " + Long.toUnsignedString(kv)
                        + " is not between the directory table start " + lowest + " and the xattr id table at byte "
                        + xattrIds.firstBlock());
            }
            xattrValues = new MetadataTable("xattr key/value area", kv, xattrIds.firstBlock(), blocks);
            xattrBytes = next - kv;
            next = kv;
        }

        if (Long.compareUnsigned(sb.idTableStart(), next) > 0) {
            throw new CorruptImageException(48, "id table start " + Long.toUnsignedString(sb.idTableStart())
                    + " lies past the table after it, at byte " + next);
        }
        LookupTable ids = LookupTable.read("id table", image, blocks, sb.idTableStart(), sb.idCount(),
                FormatLimits.ID_ENTRY_SIZE, lowest, next);
        next = ids.firstBlock();

        LookupTable export = null;
        if (sb.exportTableStart() != Superblock.NO_TABLE) {
            if (Long.compareUnsigned(sb.exportTableStart(), next) > 0) {
                throw new CorruptImageException(88, "export table start "
                        + Long.toUnsignedString(sb.exportTableStart()) + " lies past the id table at byte " + next);
            }
            export = LookupTable.read("export table", image, blocks, sb.exportTableStart(), sb.inodeCount(),
                    FormatLimits.EXPORT_ENTRY_SIZE, lowest, next);
            next = export.firstBlock();
        }

        LookupTable fragments;
        if (sb.fragmentEntryCount() > 0) {
            if (Long.compareUnsigned(sb.fragmentTableStart(), next) > 0) {
                throw new CorruptImageException(80, "fragment table start "
                        + Long.toUnsignedString(sb.fragmentTableStart()) + " lies past the table after it, at byte "
                        + next);
            }
            fragments = LookupTable.read("fragment table", image, blocks, sb.fragmentTableStart(),
                    sb.fragmentEntryCount(), FormatLimits.FRAGMENT_ENTRY_SIZE, lowest, next);
            next = fragments.firstBlock();
        } else {
            fragments = LookupTable.empty("fragment table", blocks, next, FormatLimits.FRAGMENT_ENTRY_SIZE);
        }

        MetadataTable inodes = new MetadataTable("inode table", sb.inodeTableStart(), sb.directoryTableStart(), blocks);
        MetadataTable directories = new MetadataTable("directory table", sb.directoryTableStart(), next, blocks);
        ImageLayout layout = new ImageLayout(dataStart, sb.inodeTableStart(), sb.directoryTableStart(), next,
                fragments.count() == 0 ? 0 : fragments.storedBytes(), export == null ? 0 : export.storedBytes(),
                ids.storedBytes(), xattrBytes, sb.bytesUsed());
        return new ImageTables(options, sb, id, compressor, compressorOptions, image, blocks, inodes, directories, fragments,
                export, ids, xattrIds, xattrValues, layout);
    }

    /** The options block: a metadata block right after the superblock (mksquashfs stores it uncompressed). */
    private static BlockCache.Block readOptionsBlock(ImageChannel whole, Superblock sb, CompressorId id,
                                                     ReaderOptions options) throws IOException {
        long end = Long.compareUnsigned(sb.inodeTableStart(), whole.limit()) > 0 ? whole.limit()
                : Math.max(Superblock.SIZE, sb.inodeTableStart());
        if (end - Superblock.SIZE < 2) {
            throw new CorruptImageException(Superblock.SIZE, "compressor options block missing: nothing lies between"
                    + " the superblock and byte " + end);
        }
        byte[] header = whole.read(Superblock.SIZE, 2, "compressor options block header");
        // stored compressed (mksquashfs never does), it is decoded with the compressor's defaults, as the kernel does
        Compressor defaults = (header[1] & 0x80) != 0 ? null : makeCompressor(options, id, null, sb.blockSize());
        BlockReader reader = new BlockReader(whole.withLimit(end), defaults, sb.blockSize(), Superblock.SIZE, end,
                options.withCaches(0, 0));
        BlockCache.Block block = reader.metadata(Superblock.SIZE, end, "compressor options");
        if (block.length() > MAX_OPTIONS) {
            throw new CorruptImageException(Superblock.SIZE, "compressor options block of " + block.length()
                    + " bytes is longer than any compressor's options (" + MAX_OPTIONS + ")");
        }
        return block;
    }

    private static Compressor makeCompressor(ReaderOptions options, CompressorId id, byte[] compressorOptions,
                                             int blockSize) throws IOException {
        long at = compressorOptions == null ? 20 : Superblock.SIZE;
        try {
            Compressor c = options.compressors().create(id, compressorOptions, blockSize);
            if (c == null) {
                throw new CorruptImageException(at, "no decompressor for " + id.mksquashfsName());
            }
            return c;
        } catch (CorruptImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptImageException(at, "cannot read " + id.mksquashfsName() + " images with these compressor"
                    + " options: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }
}
