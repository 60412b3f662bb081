package dev.strata.squashfs.write;

import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.format.FormatLimits;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Compresses data and fragment blocks on several threads but writes them strictly in submission
 * order, so the image bytes never depend on thread timing. The writes, the placements and the steps
 * run on a writing thread of their own, so the submitting thread reads the next files while earlier
 * blocks go to the image (as mksquashfs's reader and writer threads do). At most a fixed number of
 * blocks are in flight, which bounds memory whatever the tree size.
 *
 * <p>Placements and steps run on the writing thread: what they change must not be touched by the
 * submitting thread afterwards until {@link #drain()} returns (which makes their changes visible).
 */
final class BlockPipeline implements AutoCloseable {
    /** Told where a block landed and its size word (0 for a sparse block, bit 24 when stored raw). */
    interface Placement {
        void placed(long position, int sizeWord) throws IOException;
    }

    private record Item(Future<byte[]> compressed, byte[] raw, int length, Placement placement, Step step) {
    }

    /** An action run in order with the blocks, e.g. "file ends here". */
    interface Step {
        void run() throws IOException;
    }

    /** Queued by {@link #drain()}: everything before it has been written when the writer reaches it. */
    private static final Item DRAINED = new Item(null, null, 0, null, null);

    private final ImageOutput out;
    private final Compressor compressor;
    private final ExecutorService pool;
    private final BlockingQueue<Item> queue;
    private final BlockingQueue<Item> drained = new ArrayBlockingQueue<>(1);
    private final Thread writer;
    /** The first failure of the writing thread; later items are then discarded, never written. */
    private volatile IOException failure;

    BlockPipeline(ImageOutput out, Compressor compressor, int threads) {
        this.out = out;
        this.compressor = compressor;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "squashfs-compress-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.queue = new ArrayBlockingQueue<>(threads * 3 + 2);
        this.writer = new Thread(this::writeAll, "squashfs-write");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues a block, compressed or (compress false) stored as it is; raw must not be modified afterwards. */
    void submit(byte[] raw, int length, boolean compress, Placement placement) throws IOException {
        Future<byte[]> f = compress ? pool.submit(() -> compressor.compress(raw, 0, length))
                : CompletableFuture.completedFuture(null);
        enqueue(new Item(f, raw, length, placement, null));
    }

    /** Queues an all-zero block that takes no space. */
    void submitSparse(Placement placement) throws IOException {
        enqueue(new Item(null, null, 0, placement, null));
    }

    void step(Step step) throws IOException {
        enqueue(new Item(null, null, 0, null, step));
    }

    private void enqueue(Item item) throws IOException {
        throwIfFailed();
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while queueing a block");
        }
    }

    /** Waits until everything queued is written; rethrows the writing thread's failure. */
    void drain() throws IOException {
        enqueue(DRAINED);
        try {
            drained.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing blocks");
        }
        throwIfFailed();
    }

    private void throwIfFailed() throws IOException {
        IOException f = failure;
        if (f != null) {
            throw new IOException(f.getMessage(), f);
        }
    }

    /** The writing thread: takes items in order until closed; after a failure it only discards them. */
    private void writeAll() {
        try {
            while (true) {
                Item item = queue.take();
                if (item == DRAINED) {
                    drained.put(item);
                } else if (failure == null) {
                    try {
                        write(item);
                    } catch (IOException | RuntimeException e) {
                        failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private void write(Item item) throws IOException {
        if (item.step != null) {
            item.step.run();
            return;
        }
        if (item.raw == null) {
            item.placement.placed(out.position(), 0);
            return;
        }
        byte[] packed;
        try {
            packed = item.compressed.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("compression failed: " + e.getCause(), e.getCause());
        }
        long position = out.position();
        if (packed != null) {
            out.write(packed);
            item.placement.placed(position, packed.length);
        } else {
            out.write(item.raw, 0, item.length);
            item.placement.placed(position, item.length | FormatLimits.DATA_UNCOMPRESSED);
        }
    }

    /**
     * Stops the threads. After {@link #drain()} the writing thread is idle; after a failure elsewhere it
     * may be inside a write, which the interrupt ends by closing the channel (the image is discarded
     * then anyway). Returns once it has stopped, so that nothing is written after close.
     */
    @Override
    public void close() {
        writer.interrupt();
        pool.shutdownNow();
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
