package dev.strata.squashfs.write;

import dev.strata.squashfs.format.DeviceInode;
import dev.strata.squashfs.format.DirectoryInode;
import dev.strata.squashfs.format.FileInode;
import dev.strata.squashfs.format.FormatLimits;
import dev.strata.squashfs.format.FragmentEntry;
import dev.strata.squashfs.format.Inode;
import dev.strata.squashfs.format.InodeHeader;
import dev.strata.squashfs.format.InodeType;
import dev.strata.squashfs.format.IpcInode;
import dev.strata.squashfs.format.Superblock;
import dev.strata.squashfs.format.SuperblockFlags;
import dev.strata.squashfs.format.SymlinkInode;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.IpcNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One write of one image, in the order the kernel requires: superblock space and compressor options,
 * file data and fragments, inode table, directory table, fragment, export, id and xattr tables, then
 * the superblock itself last.
 */
final class ImageBuild {
    private final WriterOptions options;
    private final FileTree tree;
    private final InodePlan plan;
    private final IdTable ids = new IdTable();
    private final XattrTableWriter xattrs = new XattrTableWriter();
    private final Map<Node, FileLayout> layouts = new IdentityHashMap<>();
    private final Map<Node, DirectoryListingWriter.Child> written = new IdentityHashMap<>();
    private final long[] exportRefs;
    private MetadataWriter inodeTable;
    private DirectoryListingWriter listings;

    ImageBuild(FileTree tree, WriterOptions options) {
        this.tree = tree;
        this.options = options;
        this.plan = InodePlan.of(tree);
        this.exportRefs = new long[plan.inodeCount()];
    }

    WriteResult writeTo(FileChannel channel) throws IOException {
        Optional<byte[]> compressorOptions = options.compressor().optionsBlock();
        long dataStart = Superblock.SIZE + compressorOptions.map(b -> b.length + 2).orElse(0);
        ImageOutput out = new ImageOutput(channel, dataStart, options.fileOffset());

        FileDataWriter data;
        List<FragmentEntry> fragmentEntries;
        List<FileNode> dataOrder = DataOrder.of(tree, options.sortPriorities(), plan.files());
        try (BlockPipeline pipeline = new BlockPipeline(out, options.compressor(), options.processors())) {
            FragmentPacker packer = new FragmentPacker(pipeline, options.blockSize(),
                    options.compresses(UncompressedPart.FRAGMENTS));
            List<Long> sizes = new ArrayList<>(plan.files().size());
            for (FileNode file : plan.files()) {
                sizes.add(file.content().size());
            }
            data = new FileDataWriter(pipeline, packer, out, options, sizes);
            for (FileNode file : dataOrder) {
                layouts.put(file, data.write(file.content()));
            }
            packer.flush();
            pipeline.drain();
            fragmentEntries = packer.entries();
        }

        boolean compressInodes = options.compresses(UncompressedPart.INODES);
        inodeTable = new MetadataWriter(options.compressor(), compressInodes);
        MetadataWriter directoryTable = new MetadataWriter(options.compressor(), compressInodes);
        listings = new DirectoryListingWriter(directoryTable);
        if (!options.sortPriorities().isEmpty()) {
            // as mksquashfs -sort: each file's inode is made as its data is written, before the tree walk
            for (FileNode file : dataOrder) {
                written.put(file, writeInode(file));
            }
        }
        DirectoryListingWriter.Child root = writeDirectory(tree.root(), plan.inodeCount() + 1L);

        long inodeTableStart = out.position();
        out.write(inodeTable.finish());
        long directoryTableStart = out.position();
        out.write(directoryTable.finish());

        long fragmentTableStart = LookupTableWriter.write(out, options.compressor(),
                options.compresses(UncompressedPart.FRAGMENTS), t -> {
            for (FragmentEntry e : fragmentEntries) {
                e.write(t);
            }
        });
        long exportTableStart = Superblock.NO_TABLE;
        if (options.exportTable()) {
            exportTableStart = LookupTableWriter.write(out, options.compressor(), compressInodes, t -> {
                for (long ref : exportRefs) {
                    t.u64(ref);
                }
            });
        }
        long idTableStart = LookupTableWriter.write(out, options.compressor(),
                UncompressedPart.compressIds(options.uncompressed()), t -> {
            for (int id : ids.ids()) {
                t.u32(id & 0xFFFFFFFFL);
            }
        });
        long xattrTableStart = xattrs.isEmpty() ? Superblock.NO_TABLE : xattrs.write(out, options.compressor(),
                options.compresses(UncompressedPart.XATTRS));

        long bytesUsed = out.position();
        if (options.pad()) {
            long padded = (bytesUsed + FormatLimits.PADDING - 1) / FormatLimits.PADDING * FormatLimits.PADDING;
            if (padded > bytesUsed) {
                out.write(new byte[(int) (padded - bytesUsed)]);
            }
        }
        out.truncateToPosition();

        int flags = (options.fragments() == FragmentPolicy.NONE ? SuperblockFlags.NO_FRAGMENTS : 0)
                | (options.fragments() == FragmentPolicy.TAIL_ENDS ? SuperblockFlags.ALWAYS_FRAGMENTS : 0)
                | (options.deduplicate() ? SuperblockFlags.DUPLICATES : 0)
                | (options.exportTable() ? SuperblockFlags.EXPORTABLE : 0)
                | (options.xattrs() ? 0 : SuperblockFlags.NO_XATTRS)
                | (compressorOptions.isPresent() ? SuperblockFlags.COMPRESSOR_OPTIONS : 0)
                | UncompressedPart.superblockFlags(options.uncompressed());
        long mkfsTime = options.mkfsTime().orElse(System.currentTimeMillis() / 1000);
        Superblock sb = new Superblock(plan.inodeCount(), clampTime(mkfsTime), options.blockSize(),
                fragmentEntries.size(), options.compressor().id().id(), options.blockLog(), flags, ids.ids().size(),
                4, 0, FormatLimits.reference(root.inodeBlock(), root.inodeOffset()), bytesUsed, idTableStart,
                xattrTableStart, inodeTableStart, directoryTableStart, fragmentTableStart, exportTableStart);
        ByteBuffer head = ByteBuffer.allocate((int) dataStart).order(ByteOrder.LITTLE_ENDIAN);
        dev.strata.squashfs.format.ByteBufferLe le = new dev.strata.squashfs.format.ByteBufferLe(head, 0, "superblock");
        sb.write(le);
        if (compressorOptions.isPresent()) {
            byte[] block = compressorOptions.get();
            le.u16(block.length | FormatLimits.METADATA_UNCOMPRESSED);
            le.bytes(block);
        }
        head.flip();
        out.writeAt(0, head);
        return new WriteResult(bytesUsed, out.position(), inodeTableStart - dataStart, plan.inodeCount(), plan.files().size(), data.duplicates,
                fragmentEntries.size(), data.sparseBlocks, data.bytesRead);
    }

    /** Writes the inodes below dir, its listing and its own inode; returns how a parent lists it. */
    private DirectoryListingWriter.Child writeDirectory(DirectoryNode dir, long parentNumber) {
        int number = plan.numberOf(dir);
        List<DirectoryListingWriter.Child> children = new ArrayList<>(dir.size());
        int subdirectories = 0;
        for (Map.Entry<Name, Node> e : dir.children().entrySet()) {
            Node child = e.getValue();
            DirectoryListingWriter.Child ref;
            if (child instanceof DirectoryNode d) {
                ref = writeDirectory(d, number);
                subdirectories++;
            } else {
                ref = written.get(child);
                if (ref == null) {
                    ref = writeInode(child);
                    written.put(child, ref);
                }
            }
            children.add(new DirectoryListingWriter.Child(e.getKey().bytes(), ref.inodeBlock(), ref.inodeOffset(),
                    ref.inodeNumber(), ref.basicType()));
        }
        DirectoryListingWriter.Listing listing = listings.write(children);
        int xattr = xattrIndex(dir);
        boolean extended = xattr != FormatLimits.NONE || listing.large() || listing.fileSize() > 0xFFFF;
        long ref = inodeTable.reference();
        Inode inode = new DirectoryInode(header(dir, InodeType.DIRECTORY, extended, number), 2L + subdirectories,
                listing.blockStart(), listing.fileSize(), listing.blockOffset(), parentNumber,
                extended ? listing.index() : List.of(), xattr);
        return place(inode, ref, number, InodeType.DIRECTORY);
    }

    private DirectoryListingWriter.Child writeInode(Node node) {
        int number = plan.numberOf(node);
        long nlink = plan.linksOf(node);
        int xattr = xattrIndex(node);
        boolean hasXattrs = xattr != FormatLimits.NONE;
        long ref = inodeTable.reference();
        InodeType type = InodeType.of(node.type());
        Inode inode;
        if (node instanceof FileNode f) {
            inode = fileInode(f, number, nlink, xattr);
        } else if (node instanceof SymlinkNode s) {
            if (s.targetLength() > SymlinkInode.KERNEL_MAX_TARGET) {
                throw new IllegalArgumentException("symlink target of " + s.targetLength()
                        + " bytes is longer than the kernel reads (" + SymlinkInode.KERNEL_MAX_TARGET + ")");
            }
            inode = new SymlinkInode(header(node, type, hasXattrs, number), nlink, s.target(), xattr);
        } else if (node instanceof DeviceNode d) {
            inode = new DeviceInode(header(node, type, hasXattrs, number), nlink, d.rdev(), xattr);
        } else if (node instanceof IpcNode) {
            inode = new IpcInode(header(node, type, hasXattrs, number), nlink, xattr);
        } else {
            throw new IllegalStateException("directories are written by writeDirectory");
        }
        return place(inode, ref, number, type);
    }

    private FileInode fileInode(FileNode f, int number, long nlink, int xattr) {
        FileLayout l = layouts.get(f);
        boolean extended = nlink > 1 || xattr != FormatLimits.NONE || l.size > 0xFFFFFFFFL
                || l.blocksStart > 0xFFFFFFFFL || l.sparseBytes > 0;
        // as mksquashfs: never the whole file, so the kernel reports at least one block in use
        long sparse = l.sparseBytes > 0 ? Math.min(l.sparseBytes, l.size - 1) : 0;
        return new FileInode(header(f, InodeType.FILE, extended, number), l.blocksStart, l.size, sparse, nlink,
                l.fragmentIndex, l.fragmentIndex == FormatLimits.NONE ? 0 : l.fragmentOffset, xattr, l.blockSizes);
    }

    private DirectoryListingWriter.Child place(Inode inode, long ref, int number, InodeType type) {
        inode.write(inodeTable);
        exportRefs[number - 1] = ref;
        return new DirectoryListingWriter.Child(null, FormatLimits.referenceBlock(ref), FormatLimits.referenceOffset(ref),
                number, type.basicCode());
    }

    private InodeHeader header(Node node, InodeType type, boolean extended, int number) {
        return new InodeHeader(type.code(extended), node.permissions(), ids.indexOf(node.uid()), ids.indexOf(node.gid()),
                clampTime(node.mtime()), number);
    }

    private int xattrIndex(Node node) {
        return options.xattrs() ? xattrs.indexOf(node.xattrs()) : FormatLimits.NONE;
    }

    private static long clampTime(long t) {
        return Math.max(0, Math.min(0xFFFFFFFFL, t));
    }
}
