package dev.strata.squashfs.write;

import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.format.FormatLimits;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Compresses data and fragment blocks on several threads but writes them strictly in submission
 * order, so the image bytes never depend on thread timing. At most a fixed number of blocks are in
 * flight, which bounds memory whatever the tree size.
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

    private final ImageOutput out;
    private final Compressor compressor;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<Item> queue = new ArrayDeque<>();

    BlockPipeline(ImageOutput out, Compressor compressor, int threads) {
        this.out = out;
        this.compressor = compressor;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "squashfs-compress-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.maxInFlight = threads * 3 + 2;
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
        queue.addLast(item);
        while (queue.size() > maxInFlight) {
            writeHead();
        }
    }

    /** Writes everything queued. */
    void drain() throws IOException {
        while (!queue.isEmpty()) {
            writeHead();
        }
    }

    private void writeHead() throws IOException {
        Item item = queue.removeFirst();
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

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
