package dev.strata.squashfs.read;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * The threads that create, write and close the regular files of an extraction while the walk goes
 * on making directories. A large file is written in runs of blocks by several threads at once, so one
 * big file does not leave the other processors idle; small files sharing a fragment block go as one
 * task. The first write error fails the extraction when {@link #finish()} is called.
 */
final class FileWriters implements AutoCloseable {
    /** Tasks queued at most: bounds the memory a walk far ahead of the writers holds. */
    private static final int QUEUED_TASKS = 4096;
    /** Files of one fragment block written as one task at most, so a big fragment still spreads. */
    private static final int FILES_PER_TASK = 256;

    private final ExecutorService pool;
    private final Semaphore queued = new Semaphore(QUEUED_TASKS);
    private final List<Future<?>> tasks = new ArrayList<>();
    private FragmentFiles pendingTails;

    FileWriters(int threads) {
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "squashfs-extract");
            t.setDaemon(true);
            return t;
        });
    }

    /** Creates (unless already created) and writes a file. */
    void write(FileRuns file) throws IOException {
        for (int r = 0; r < file.runs(); r++) {
            int run = r;
            submit(() -> file.write(run));
        }
    }

    /**
     * Creates and writes a file of only a fragment tail ({@link FileData#onlyFragmentTail()}) together
     * with the files before it in the same fragment block.
     */
    void writeTail(Path path, FileAttribute<?>[] mode, FileData data, Consumer<FileSystemException> notMade,
                   Runnable whenWritten) throws IOException {
        if (pendingTails != null && (pendingTails.fragmentIndex() != data.fragmentIndex()
                || pendingTails.size() == FILES_PER_TASK)) {
            submitTails();
        }
        if (pendingTails == null) {
            pendingTails = new FragmentFiles(data.fragmentIndex());
        }
        pendingTails.add(path, mode, data, notMade, whenWritten);
    }

    /** Waits until every file is written and closed; rethrows the first failure. */
    void finish() throws IOException {
        if (pendingTails != null) {
            submitTails();
        }
        try {
            for (Future<?> f : tasks) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().toString(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("extraction interrupted", e);
        }
    }

    /**
     * Stops the threads and waits until they have: after a failed extraction no file is still being
     * created or written once the caller hears of the failure.
     */
    @Override
    public void close() {
        ThreadPools.stopAndWait(pool);
    }

    private void submitTails() throws IOException {
        FragmentFiles files = pendingTails;
        pendingTails = null;
        submit(files::write);
    }

    private interface Task {
        void run() throws IOException;
    }

    private void submit(Task task) throws IOException {
        try {
            queued.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("extraction interrupted", e);
        }
        tasks.add(pool.submit(() -> {
            try {
                task.run();
            } finally {
                queued.release();
            }
            return null;
        }));
    }
}
