package dev.strata.squashfs.read;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded blocks shared by threads that stream files out of an image (the fragment blocks of an
 * extraction): each in a direct buffer that is reused, least recently used first, once no thread
 * holds it. Duplicate files make the walk come back to fragment blocks it met long before, so blocks
 * are kept; but a cache of new arrays made every block garbage that the collector copied while it was
 * kept (a 239 MB tree: 6 collections, 60 ms of pauses, against 2 without), and every write of a
 * heap array copies it once more into native memory.
 *
 * <p>A block being decoded by one thread is waited for by the others that want it, so each block is
 * decoded once while it is kept; a decoding that fails leaves nothing behind, and each thread that
 * wanted the block then fails on its own.
 */
final class PinnedBlocks {
    /** Decodes one block into a direct buffer of at least a block at position 0; returns its length. */
    @FunctionalInterface
    interface Decoder {
        int decode(ByteBuffer into) throws IOException;
    }

    /** A block held by one thread until closed: its bytes stay as they are, and it is not reused. */
    static final class Lease implements AutoCloseable {
        private final PinnedBlocks owner;
        private final Entry entry;
        private boolean closed;

        private Lease(PinnedBlocks owner, Entry entry) {
            this.owner = owner;
            this.entry = entry;
        }

        /** The block's bytes, [0, length), in a buffer of the caller's own (its position and limit are free to change). */
        ByteBuffer data() {
            return entry.buffer.duplicate().clear().limit(entry.length);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                owner.release(entry);
            }
        }
    }

    private static final class Entry {
        private final ByteBuffer buffer;
        private int length;
        private int pins;
        private boolean ready;

        Entry(int blockSize) {
            buffer = ByteBuffer.allocateDirect(blockSize);
        }
    }

    private final int blockSize;
    private final int capacity;
    /** Blocks by image position, least recently used first. */
    private final LinkedHashMap<Long, Entry> blocks = new LinkedHashMap<>(16, 0.75f, true);
    private final ArrayDeque<Entry> spare = new ArrayDeque<>();
    private int allocated;

    /**
     * @param capacity blocks kept at most while no thread holds them (more are made only while every
     *                 one is held: never more than the threads at work)
     */
    PinnedBlocks(int blockSize, int capacity) {
        this.blockSize = blockSize;
        this.capacity = Math.max(1, capacity);
    }

    /** The block at image position pos, decoded by decoder if it is not kept already. */
    Lease acquire(long pos, Decoder decoder) throws IOException {
        Entry entry;
        synchronized (this) {
            while ((entry = blocks.get(pos)) != null && !entry.ready) {
                try {
                    wait(); // another thread decodes it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for a block");
                }
            }
            if (entry != null) {
                entry.pins++;
                return new Lease(this, entry);
            }
            entry = unused();
            entry.pins = 1;
            entry.ready = false;
            blocks.put(pos, entry);
        }
        try {
            entry.length = decoder.decode(entry.buffer.clear());
        } catch (IOException | RuntimeException | Error e) {
            synchronized (this) {
                blocks.remove(pos);
                entry.pins = 0;
                spare.push(entry);
                notifyAll();
            }
            throw e;
        }
        synchronized (this) {
            entry.ready = true;
            notifyAll();
        }
        return new Lease(this, entry);
    }

    /** Buffers made so far (for tests): at most the capacity, unless more threads held blocks at once. */
    synchronized int allocated() {
        return allocated;
    }

    private synchronized void release(Entry entry) {
        entry.pins--;
    }

    /** A buffer no thread holds: a spare one, a new one below capacity, or the least recently used. */
    private Entry unused() {
        if (!spare.isEmpty()) {
            return spare.pop();
        }
        if (allocated < capacity) {
            allocated++;
            return new Entry(blockSize);
        }
        for (Iterator<Map.Entry<Long, Entry>> it = blocks.entrySet().iterator(); it.hasNext(); ) {
            Entry e = it.next().getValue();
            if (e.pins == 0) {
                it.remove();
                return e;
            }
        }
        allocated++;
        return new Entry(blockSize);
    }
}
