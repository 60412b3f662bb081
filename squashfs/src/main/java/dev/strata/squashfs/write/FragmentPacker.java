package dev.strata.squashfs.write;

import dev.strata.squashfs.format.FragmentEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs small files and tail ends into shared fragment blocks, in the order they arrive. As in
 * mksquashfs 4.5, whole small files and the tail ends of larger files fill two separate blocks, each
 * numbered when it is started and written when the next piece no longer fits (or at the end, small
 * files' block first).
 */
final class FragmentPacker {
    private final BlockPipeline pipeline;
    private final int blockSize;
    private final boolean compress;
    /** One per fragment block, numbered on this thread, filled in by the pipeline's writing thread. */
    private final List<Slot> slots = new ArrayList<>();
    private final Open wholeFiles = new Open();
    private final Open tailEnds = new Open();

    /** Where a fragment block landed, once written. */
    private static final class Slot {
        volatile FragmentEntry entry;
    }

    /** A fragment block being filled. */
    private static final class Open {
        byte[] buffer;
        int used;
        int index;
    }

    FragmentPacker(BlockPipeline pipeline, int blockSize, boolean compress) {
        this.pipeline = pipeline;
        this.blockSize = blockSize;
        this.compress = compress;
    }

    /**
     * Adds a piece of at most one block and records in layout where it went.
     *
     * @param tailEnd whether the piece ends a file that also has blocks
     */
    void add(byte[] data, int off, int len, FileLayout layout, boolean tailEnd) throws IOException {
        Open block = tailEnd ? tailEnds : wholeFiles;
        if (block.buffer != null && block.used + len > blockSize) {
            flush(block);
        }
        if (block.buffer == null) {
            block.buffer = new byte[blockSize];
            block.used = 0;
            block.index = slots.size();
            slots.add(new Slot());
        }
        System.arraycopy(data, off, block.buffer, block.used, len);
        layout.fragmentIndex = block.index;
        layout.fragmentOffset = block.used;
        block.used += len;
    }

    /** Queues the partly filled blocks, if any. */
    void flush() throws IOException {
        flush(wholeFiles);
        flush(tailEnds);
    }

    private void flush(Open block) throws IOException {
        if (block.buffer == null) {
            return;
        }
        Slot slot = slots.get(block.index);
        pipeline.submit(block.buffer, block.used, compress,
                (position, sizeWord) -> slot.entry = new FragmentEntry(position, sizeWord));
        block.buffer = null;
    }

    /** All entries; valid once the pipeline has drained. */
    List<FragmentEntry> entries() {
        List<FragmentEntry> entries = new ArrayList<>(slots.size());
        for (Slot slot : slots) {
            entries.add(slot.entry);
        }
        return entries;
    }
}
