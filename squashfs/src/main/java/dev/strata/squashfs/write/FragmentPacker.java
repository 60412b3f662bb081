package dev.strata.squashfs.write;

import dev.strata.squashfs.format.FragmentEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Packs small files and tail ends into shared fragment blocks, in the order they arrive. */
final class FragmentPacker {
    private final BlockPipeline pipeline;
    private final int blockSize;
    private final boolean compress;
    private final List<FragmentEntry> entries = new ArrayList<>();
    private byte[] buffer;
    private int used;

    FragmentPacker(BlockPipeline pipeline, int blockSize, boolean compress) {
        this.pipeline = pipeline;
        this.blockSize = blockSize;
        this.compress = compress;
        this.buffer = new byte[blockSize];
    }

    /** Adds a piece of at most one block and records in layout where it went. */
    void add(byte[] data, int off, int len, FileLayout layout) throws IOException {
        if (used + len > blockSize) {
            flush();
        }
        System.arraycopy(data, off, buffer, used, len);
        layout.fragmentIndex = entries.size();
        layout.fragmentOffset = used;
        used += len;
    }

    /** Queues the partly filled block, if any. */
    void flush() throws IOException {
        if (used == 0) {
            return;
        }
        int index = entries.size();
        entries.add(null);
        pipeline.submit(buffer, used, compress, (position, sizeWord) -> entries.set(index, new FragmentEntry(position, sizeWord)));
        buffer = new byte[blockSize];
        used = 0;
    }

    /** All entries; valid once the pipeline has drained. */
    List<FragmentEntry> entries() {
        return entries;
    }
}
