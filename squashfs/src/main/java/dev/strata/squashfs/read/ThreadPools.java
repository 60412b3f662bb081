package dev.strata.squashfs.read;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Ending the thread pools that write files: once the caller goes on, none of their threads still writes. */
public final class ThreadPools {
    private ThreadPools() {
    }

    /**
     * Interrupts the pool's tasks, drops those not started and waits until the running ones have
     * ended; an interrupt of the waiting thread is kept for its caller, not obeyed, so that an
     * extraction that failed never leaves a file still being written.
     */
    public static void stopAndWait(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
