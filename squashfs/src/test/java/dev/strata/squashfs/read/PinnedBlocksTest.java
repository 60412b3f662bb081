package dev.strata.squashfs.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PinnedBlocksTest {
    private static final int BLOCK = 4096;

    /** A block whose bytes say where it is from: its length and every byte derive from pos. */
    private static int fill(long pos, ByteBuffer into) {
        int length = 1 + (int) (pos * 7919 % BLOCK);
        for (int i = 0; i < length; i++) {
            into.put(i, (byte) (pos * 31 + i));
        }
        return length;
    }

    private static void assertHolds(long pos, ByteBuffer data) {
        ByteBuffer expected = ByteBuffer.allocate(BLOCK);
        int length = fill(pos, expected);
        assertEquals(length, data.remaining(), "length of block " + pos);
        assertEquals(expected.limit(length), data, "bytes of block " + pos);
    }

    @Test
    void aHeldBlockIsNeverReusedAndAKeptOneNotDecodedAgain() throws IOException {
        PinnedBlocks blocks = new PinnedBlocks(BLOCK, 2);
        AtomicInteger decodes = new AtomicInteger();
        PinnedBlocks.Lease held = blocks.acquire(1, into -> {
            decodes.incrementAndGet();
            return fill(1, into);
        });
        for (long pos = 2; pos < 10; pos++) {
            long p = pos;
            try (PinnedBlocks.Lease other = blocks.acquire(pos, into -> {
                decodes.incrementAndGet();
                return fill(p, into);
            })) {
                assertHolds(pos, other.data());
            }
        }
        assertHolds(1, held.data());
        held.close();
        assertEquals(9, decodes.get());
        assertEquals(2, blocks.allocated(), "one held block and one reused for the others");
        try (PinnedBlocks.Lease again = blocks.acquire(9, into -> {
            throw new AssertionError("block 9 is kept");
        })) {
            assertHolds(9, again.data());
        }
    }

    @Test
    void aFailedDecodingLeavesNothingBehind() throws IOException {
        PinnedBlocks blocks = new PinnedBlocks(BLOCK, 1);
        IOException failure = assertThrows(IOException.class, () -> blocks.acquire(5, into -> {
            throw new IOException("corrupt block 5");
        }));
        assertEquals("corrupt block 5", failure.getMessage());
        try (PinnedBlocks.Lease lease = blocks.acquire(5, into -> fill(5, into))) {
            assertHolds(5, lease.data());
        }
        assertEquals(1, blocks.allocated(), "the failed block's buffer is used again");
    }

    @Test
    void aThreadWantingABlockBeingDecodedWaitsForIt() throws Exception {
        PinnedBlocks blocks = new PinnedBlocks(BLOCK, 4);
        CountDownLatch decoding = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger decodes = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<ByteBuffer> first = pool.submit(() -> {
                try (PinnedBlocks.Lease l = blocks.acquire(3, into -> {
                    decodes.incrementAndGet();
                    decoding.countDown();
                    try {
                        finish.await();
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                    return fill(3, into);
                })) {
                    return copy(l.data());
                }
            });
            assertTrue(decoding.await(10, TimeUnit.SECONDS));
            Future<ByteBuffer> second = pool.submit(() -> {
                try (PinnedBlocks.Lease l = blocks.acquire(3, into -> {
                    decodes.incrementAndGet();
                    return fill(3, into);
                })) {
                    return copy(l.data());
                }
            });
            Thread.sleep(50); // the second thread is now waiting (or about to)
            finish.countDown();
            assertHolds(3, first.get(10, TimeUnit.SECONDS));
            assertHolds(3, second.get(10, TimeUnit.SECONDS));
            assertEquals(1, decodes.get(), "decoded once for both threads");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void threadsHoldingBlocksAtOnceEachSeeTheirOwn() throws Exception {
        int threads = 8;
        PinnedBlocks blocks = new PinnedBlocks(BLOCK, 3);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    int checked = 0;
                    for (int i = 0; i < 3000; i++) {
                        long pos = r.nextInt(12);
                        try (PinnedBlocks.Lease l = blocks.acquire(pos, into -> fill(pos, into))) {
                            ByteBuffer before = copy(l.data());
                            Thread.yield(); // others acquire and reuse buffers meanwhile
                            assertHolds(pos, l.data());
                            assertEquals(before, l.data());
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            for (Future<Integer> f : results) {
                assertEquals(3000, f.get(60, TimeUnit.SECONDS));
            }
            assertTrue(blocks.allocated() <= 3 + threads, "buffers made: " + blocks.allocated());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLeaseClosedTwiceReleasesOnce() throws IOException {
        PinnedBlocks blocks = new PinnedBlocks(BLOCK, 1);
        PinnedBlocks.Lease a = blocks.acquire(1, into -> fill(1, into));
        PinnedBlocks.Lease b = blocks.acquire(1, into -> fill(1, into));
        a.close();
        a.close();
        try (PinnedBlocks.Lease other = blocks.acquire(2, into -> fill(2, into))) {
            assertHolds(2, other.data());
        }
        assertHolds(1, b.data()); // still held by b: block 2 got a buffer of its own
        assertEquals(2, blocks.allocated());
        b.close();
        try (PinnedBlocks.Lease again = blocks.acquire(1, into -> {
            throw new AssertionError("block 1 is kept");
        })) {
            assertHolds(1, again.data());
        }
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }
}
