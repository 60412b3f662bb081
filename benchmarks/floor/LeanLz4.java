import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * The least of mksquashfs -comp lz4's work a Java program can do, as a floor for what any JVM tool
 * takes on this machine (benchmarks/jvm-floor): stat every entry, read every file once into reused
 * direct buffers, compress 128 KiB blocks (small files and tails packed into shared blocks) with
 * lz4-java's native code on every core, and write them in order. No command line, no tree model, no
 * inodes, directories or tables, no duplicate or sparse detection, no fsync: an image without its
 * metadata, which only makes the floor lower. Usage: LeanLz4 TREE OUT
 */
public final class LeanLz4 {
    private static final int BLOCK = 128 * 1024;

    private record Job(ByteBuffer raw, ByteBuffer packed, CountDownLatch done) {
    }

    public static void main(String[] args) throws Exception {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(Path.of(args[0]), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.readAttributes(dir, "unix:mode,uid,gid,nlink,ino,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.readAttributes(file, "unix:mode,uid,gid,nlink,ino,rdev,size,lastModifiedTime",
                        LinkOption.NOFOLLOW_LINKS);
                if (attrs.isRegularFile()) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });

        int threads = Runtime.getRuntime().availableProcessors();
        LZ4Compressor lz4 = LZ4Factory.nativeInstance().fastCompressor();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        int slots = threads * 3 + 2;
        BlockingQueue<Job> free = new ArrayBlockingQueue<>(slots);
        for (int i = 0; i < slots; i++) {
            free.add(new Job(ByteBuffer.allocateDirect(BLOCK), ByteBuffer.allocateDirect(lz4.maxCompressedLength(BLOCK)),
                    null));
        }
        BlockingQueue<Job> inOrder = new ArrayBlockingQueue<>(slots + 1);
        Job end = new Job(null, null, null);
        try (FileChannel out = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Thread writer = new Thread(() -> {
                try {
                    for (Job job = inOrder.take(); job != end; job = inOrder.take()) {
                        job.done.await();
                        while (job.packed.hasRemaining()) {
                            out.write(job.packed);
                        }
                        free.put(new Job(job.raw, job.packed, null));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            writer.start();
            ByteBuffer read = ByteBuffer.allocateDirect(BLOCK);
            ByteBuffer fragments = ByteBuffer.allocateDirect(BLOCK);
            for (Path file : files) {
                try (FileChannel in = FileChannel.open(file)) {
                    while (true) {
                        read.clear();
                        while (read.hasRemaining() && in.read(read) > 0) {
                            // fill the block
                        }
                        read.flip();
                        if (read.remaining() == BLOCK) {
                            read = submit(read, free, inOrder, pool, lz4);
                            continue;
                        }
                        if (read.hasRemaining()) {
                            if (fragments.remaining() < read.remaining()) {
                                fragments.flip();
                                fragments = submit(fragments, free, inOrder, pool, lz4);
                            }
                            fragments.put(read);
                        }
                        break;
                    }
                }
            }
            fragments.flip();
            submit(fragments, free, inOrder, pool, lz4);
            inOrder.put(end);
            writer.join();
        }
        pool.shutdown();
    }

    /** Queues a full buffer for compression in order; returns an empty buffer to fill next. */
    private static ByteBuffer submit(ByteBuffer full, BlockingQueue<Job> free, BlockingQueue<Job> inOrder,
                                     ExecutorService pool, LZ4Compressor lz4) throws InterruptedException {
        Job slot = free.take();
        Job job = new Job(full, slot.packed, new CountDownLatch(1));
        inOrder.put(job);
        pool.execute(() -> {
            job.packed.clear();
            lz4.compress(job.raw, job.packed);
            job.packed.flip();
            job.done.countDown();
        });
        return slot.raw.clear();
    }
}
