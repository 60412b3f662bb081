package dev.strata.squashfs.write;

import dev.strata.squashfs.tree.FileContent;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Streams each file's content block by block into the pipeline: full blocks compressed, all-zero
 * blocks left out (sparse), small files and (optionally) tails packed into fragments, and files
 * identical to an earlier one (same size and SHA-256) stored once.
 */
final class FileDataWriter {
    private final BlockPipeline pipeline;
    private final FragmentPacker fragments;
    private final ImageOutput out;
    private final WriterOptions options;
    private final Map<ContentKey, FileLayout> seen = new HashMap<>();
    private final Set<Long> sharedSizes;
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
        MessageDigest digest = options.deduplicate() && sharedSizes.contains(size) ? sha256() : null;
        byte[] tailBytes = null;
        try (InputStream in = content.open()) {
            for (int b = 0; b < blockCount; b++) {
                int len = (int) Math.min(blockSize, size - (long) b * blockSize);
                byte[] block = readFully(in, len, content, (long) b * blockSize);
                if (digest != null) {
                    digest.update(block, 0, len);
                }
                int index = b;
                BlockPipeline.Placement placement = (position, sizeWord) -> {
                    if (!layout.started) {
                        layout.blocksStart = position;
                        layout.started = true;
                    }
                    layout.blockSizes[index] = sizeWord;
                };
                if (isZero(block, len)) {
                    sparseBlocks++;
                    layout.sparseBytes += len;
                    pipeline.submitSparse(placement);
                } else {
                    pipeline.submit(block, len, placement);
                }
            }
            if (tailInFragment) {
                tailBytes = readFully(in, tail, content, fullBlocks * blockSize);
                if (digest != null) {
                    digest.update(tailBytes, 0, tail);
                }
            }
            if (in.read() >= 0) {
                throw new IOException(content.origin() + ": file grew while being read (expected " + size
                        + " bytes); rebuild when the source is stable");
            }
        }
        bytesRead += size;
        if (digest != null) {
            ContentKey key = new ContentKey(size, digest.digest());
            FileLayout original = seen.get(key);
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
            seen.put(key, layout);
        }
        if (tailInFragment) {
            fragments.add(tailBytes, 0, tail, layout);
        }
        return layout;
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    private record ContentKey(long size, byte[] sha256) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ContentKey k && size == k.size && java.util.Arrays.equals(sha256, k.sha256);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(sha256);
        }
    }
}
