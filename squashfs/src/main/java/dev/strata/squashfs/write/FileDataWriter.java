package dev.strata.squashfs.write;

import dev.strata.squashfs.tree.FileContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Streams each file's content block by block into the pipeline: full blocks compressed, all-zero
 * blocks left out (sparse), small files and (optionally) tails packed into fragments, and files
 * identical to an earlier one stored once (see {@link DuplicateIndex}).
 */
final class FileDataWriter {
    private final BlockPipeline pipeline;
    private final FragmentPacker fragments;
    private final ImageOutput out;
    private final WriterOptions options;
    private final DuplicateIndex seen = new DuplicateIndex();
    private final Set<Long> sharedSizes;
    /** Duplicate candidates up to this size are read whole and checked before any block is compressed. */
    static final long HASH_FIRST_LIMIT = 16L << 20;
    long duplicates;
    long sparseBlocks;
    long bytesRead;

    /**
     * @param sizes the sizes of every file that will be written; only files whose size occurs more
     *              than once can be duplicates, so only those are hashed (as mksquashfs does)
     */
    FileDataWriter(BlockPipeline pipeline, FragmentPacker fragments, ImageOutput out, WriterOptions options,
                   Collection<Long> sizes) {
        this.sharedSizes = sharedSizes(sizes);
        this.pipeline = pipeline;
        this.fragments = fragments;
        this.out = out;
        this.options = options;
    }

    FileLayout write(FileContent content) throws IOException {
        int blockSize = options.blockSize();
        long size = content.size();
        long fullBlocks = size / blockSize;
        int tail = (int) (size % blockSize);
        boolean tailInFragment = tail > 0 && switch (options.fragments()) {
            case NONE -> false;
            case SMALL_FILES -> fullBlocks == 0;
            case TAIL_ENDS -> true;
        };
        long blockCount = tailInFragment || tail == 0 ? fullBlocks : fullBlocks + 1;
        if (blockCount > Integer.MAX_VALUE / 4) {
            throw new IOException(content.origin() + ": file of " + size + " bytes is too large");
        }
        FileLayout layout = new FileLayout(size, (int) blockCount);
        if (size == 0) {
            return layout;
        }
        boolean candidate = options.deduplicate() && sharedSizes.contains(size);
        if (candidate && size <= HASH_FIRST_LIMIT) {
            return writeHashedFirst(content, layout, tailInFragment);
        }
        return writeStreaming(content, layout, tailInFragment, candidate ? new CRC32C() : null);
    }

    /**
     * Reads the whole file and hashes it before anything is compressed, so a duplicate costs no
     * compression at all (mksquashfs compresses duplicates and then throws the blocks away).
     */
    private FileLayout writeHashedFirst(FileContent content, FileLayout layout, boolean tailInFragment)
            throws IOException {
        int blockSize = options.blockSize();
        int blockCount = layout.blockSizes.length;
        CRC32C digest = new CRC32C();
        byte[][] blocks = new byte[blockCount][];
        byte[] tailBytes = null;
        try (InputStream in = content.open()) {
            for (int b = 0; b < blockCount; b++) {
                blocks[b] = readFully(in, blockLength(layout.size, b), content, (long) b * blockSize);
                digest.update(blocks[b]);
            }
            if (tailInFragment) {
                tailBytes = readFully(in, tailLength(layout.size), content, (long) blockCount * blockSize);
                digest.update(tailBytes);
            }
            requireEnd(in, content);
        }
        bytesRead += layout.size;
        List<InputStream> pieces = new ArrayList<>();
        for (byte[] block : blocks) {
            pieces.add(new ByteArrayInputStream(block));
        }
        if (tailBytes != null) {
            pieces.add(new ByteArrayInputStream(tailBytes));
        }
        FileLayout original = seen.findOrAdd(layout.size, (int) digest.getValue(), content, layout,
                () -> new SequenceInputStream(Collections.enumeration(pieces)));
        if (original != null) {
            duplicates++;
            // The original's blocks may still be in the pipeline: copy its layout once they are placed.
            pipeline.step(() -> layout.copyFrom(original));
            return layout;
        }
        for (int b = 0; b < blockCount; b++) {
            submitBlock(blocks[b], layout, b);
        }
        if (tailInFragment) {
            addTail(tailBytes, layout);
        }
        return layout;
    }

    /**
     * Streams the file block by block. A large duplicate candidate is hashed on the way; when it
     * turns out to be a duplicate, its blocks were compressed and written already and are wound back.
     */
    private FileLayout writeStreaming(FileContent content, FileLayout layout, boolean tailInFragment,
                                      CRC32C digest) throws IOException {
        int blockSize = options.blockSize();
        int blockCount = layout.blockSizes.length;
        byte[] tailBytes = null;
        try (InputStream in = content.open()) {
            for (int b = 0; b < blockCount; b++) {
                byte[] block = readFully(in, blockLength(layout.size, b), content, (long) b * blockSize);
                if (digest != null) {
                    digest.update(block);
                }
                submitBlock(block, layout, b);
            }
            if (tailInFragment) {
                tailBytes = readFully(in, tailLength(layout.size), content, (long) blockCount * blockSize);
                if (digest != null) {
                    digest.update(tailBytes);
                }
            }
            requireEnd(in, content);
        }
        bytesRead += layout.size;
        if (digest != null) {
            FileLayout original = seen.findOrAdd(layout.size, (int) digest.getValue(), content, layout, content::open);
            if (original != null) {
                duplicates++;
                pipeline.step(() -> {
                    if (layout.started) {
                        out.rewind(layout.blocksStart);
                    }
                    layout.copyFrom(original);
                });
                return layout;
            }
        }
        if (tailInFragment) {
            addTail(tailBytes, layout);
        }
        return layout;
    }

    /**
     * A small file or tail end goes into a fragment, unless it is all zeros: then, as in mksquashfs
     * 4.5, it becomes one more sparse block of the file and takes no space at all.
     */
    private void addTail(byte[] tail, FileLayout layout) throws IOException {
        if (!options.sparse() || !isZero(tail, tail.length)) {
            fragments.add(tail, 0, tail.length, layout, layout.blockSizes.length > 0);
            return;
        }
        int index = layout.blockSizes.length;
        // on the pipeline's writing thread, after the placements of the file's other blocks
        pipeline.step(() -> layout.blockSizes = java.util.Arrays.copyOf(layout.blockSizes, index + 1));
        submitBlock(tail, layout, index);
    }

    private int blockLength(long size, int index) {
        return (int) Math.min(options.blockSize(), size - (long) index * options.blockSize());
    }

    private int tailLength(long size) {
        return (int) (size % options.blockSize());
    }

    /** Queues one block (or notes it as sparse); its placement fills layout when it is written. */
    private void submitBlock(byte[] block, FileLayout layout, int index) throws IOException {
        BlockPipeline.Placement placement = (position, sizeWord) -> {
            if (!layout.started) {
                layout.blocksStart = position;
                layout.started = true;
            }
            layout.blockSizes[index] = sizeWord;
        };
        if (options.sparse() && isZero(block, block.length)) {
            sparseBlocks++;
            layout.sparseBytes += block.length;
            pipeline.submitSparse(placement);
        } else {
            pipeline.submit(block, block.length, options.compresses(UncompressedPart.DATA), placement);
        }
    }

    private static void requireEnd(InputStream in, FileContent content) throws IOException {
        if (in.read() >= 0) {
            throw new IOException(content.origin() + ": file grew while being read (expected " + content.size()
                    + " bytes); rebuild when the source is stable");
        }
    }

    private static Set<Long> sharedSizes(Collection<Long> sizes) {
        Set<Long> once = new HashSet<>();
        Set<Long> shared = new HashSet<>();
        for (Long size : sizes) {
            if (!once.add(size)) {
                shared.add(size);
            }
        }
        return shared;
    }

    private static byte[] readFully(InputStream in, int len, FileContent content, long at) throws IOException {
        byte[] block = new byte[len];
        int n = in.readNBytes(block, 0, len);
        if (n < len) {
            throw new IOException(content.origin() + ": file shrank while being read (expected "
                    + content.size() + " bytes, ended at " + (at + n) + "); rebuild when the source is stable");
        }
        return block;
    }

    private static final byte[] ZEROS = new byte[WriterOptions.MAX_BLOCK_SIZE];

    private static boolean isZero(byte[] b, int len) {
        return java.util.Arrays.mismatch(b, 0, len, ZEROS, 0, len) < 0;
    }
}
