package dev.strata.squashfs.read;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A least-recently-used cache of decompressed blocks keyed by their image position, bounded by the
 * total bytes it holds. Thread-safe.
 */
final class BlockCache {
    private final long capacity;
    private long held;
    private final LinkedHashMap<Long, Block> blocks = new LinkedHashMap<>(64, 0.75f, true);

    /** One decompressed block: data[0, length), and the image position just past its stored bytes. */
    record Block(byte[] data, int length, long end) {
    }

    BlockCache(long capacityBytes) {
        this.capacity = capacityBytes;
    }

    synchronized Block get(long position) {
        return blocks.get(position);
    }

    synchronized void put(long position, Block block) {
        if (block.data().length > capacity) {
            return;
        }
        Block old = blocks.put(position, block);
        if (old != null) {
            held -= old.data().length;
        }
        held += block.data().length;
        var it = blocks.entrySet().iterator();
        while (held > capacity && it.hasNext()) {
            Map.Entry<Long, Block> eldest = it.next();
            held -= eldest.getValue().data().length;
            it.remove();
        }
    }

    synchronized long heldBytes() {
        return held;
    }
}
