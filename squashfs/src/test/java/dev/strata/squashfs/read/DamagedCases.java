package dev.strata.squashfs.read;

import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.squashfs.format.CorruptImageException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs one damaged-image case of a fuzz test on a worker thread with a time limit and names how it
 * ended. The only acceptable ends are success, a CorruptImageException with a message and a byte
 * offset, and an IOException with a message; anything else, or a hang, fails the test with what
 * was done to the image. A test class registers one as a static {@code @RegisterExtension} field;
 * its worker thread ends after the class's tests.
 */
final class DamagedCases implements AfterAllCallback {
    /** What a case does with its image. */
    interface Attempt {
        void run() throws Exception;
    }

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "damaged-case");
        t.setDaemon(true);
        return t;
    });
    private final Duration limit;

    DamagedCases(Duration limit) {
        this.limit = limit;
    }

    /**
     * @param success the outcome's name when nothing was thrown ("read", "report")
     * @param what    the case, for a failure message ("writer gzip mutation 12 (flip bits at 40)")
     * @return success, "corrupt", or the simple name of the IOException
     */
    String run(Attempt attempt, String success, String what) throws InterruptedException {
        Future<String> result = worker.submit(() -> outcome(attempt, success));
        try {
            return result.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            fail(what + " did not finish within " + limit);
            return null;
        } catch (ExecutionException e) {
            throw new AssertionError(what + " ended in " + e.getCause(), e.getCause());
        }
    }

    private static String outcome(Attempt attempt, String success) throws Exception {
        try {
            attempt.run();
            return success;
        } catch (CorruptImageException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("CorruptImageException without a message", e);
            }
            if (e.offset() < 0) {
                throw new AssertionError("CorruptImageException without a byte offset", e);
            }
            return "corrupt";
        } catch (IOException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError(e.getClass().getName() + " without a message", e);
            }
            return e.getClass().getSimpleName();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        worker.shutdownNow();
    }
}
