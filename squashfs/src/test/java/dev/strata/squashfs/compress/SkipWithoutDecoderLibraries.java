package dev.strata.squashfs.compress;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips the jqwik properties of a test class about a decoder library where that library is not in
 * use (not installed, or turned off as in the java-decoders execution), with the reason: an
 * assumption inside each try would make jqwik fail the property for rejecting every try.
 */
abstract class SkipWithoutDecoderLibraries implements SkipExecutionHook {
    private final String library;
    private final Awaiter awaiter;
    private final Supplier<String> reason;

    private interface Awaiter {
        Optional<?> await(Duration timeout) throws InterruptedException;
    }

    private SkipWithoutDecoderLibraries(String library, Awaiter awaiter, Supplier<String> reason) {
        this.library = library;
        this.awaiter = awaiter;
        this.reason = reason;
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        try {
            return awaiter.await(Duration.ofSeconds(30)).isPresent() ? SkipResult.doNotSkip()
                    : SkipResult.skip(library + " is not in use here: " + reason.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SkipResult.skip("interrupted while " + library + " was loading");
        }
    }

    /** For LibDeflateTest. */
    static final class LibDeflateMissing extends SkipWithoutDecoderLibraries {
        LibDeflateMissing() {
            super("libdeflate", LibDeflate::await, LibDeflate::unavailableReason);
        }
    }

    /** For LibLzmaTest. */
    static final class LibLzmaMissing extends SkipWithoutDecoderLibraries {
        LibLzmaMissing() {
            super("liblzma", LibLzma::await, LibLzma::unavailableReason);
        }
    }
}
