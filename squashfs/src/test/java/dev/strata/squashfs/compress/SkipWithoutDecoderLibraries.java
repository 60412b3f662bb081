package dev.strata.squashfs.compress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips the jqwik properties of a test class about a decoder library where that library is not in
 * use (not installed, or turned off as in the java-decoders execution), with the reason: an
 * assumption inside each try would make jqwik fail the property for rejecting every try.
 */
abstract class SkipWithoutDecoderLibraries implements SkipExecutionHook {
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);
    private final String library;
    private final BackgroundBinding<?> binding;

    private SkipWithoutDecoderLibraries(String library, BackgroundBinding<?> binding) {
        this.library = library;
        this.binding = binding;
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        try {
            return binding.await(LOAD_TIMEOUT).isPresent() ? SkipResult.doNotSkip()
                    : SkipResult.skip(library + " is not in use here: " + binding.unavailableReason());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SkipResult.skip("interrupted while " + library + " was loading");
        }
    }

    /**
     * The bound library, or null where it is not in use; fails where its shared object (soname) is
     * installed in a library directory and not turned off (property "false") but could not be bound.
     */
    static <T> T loadedOrNull(BackgroundBinding<T> binding, String soname, String property) throws InterruptedException {
        T loaded = binding.await(LOAD_TIMEOUT).orElse(null);
        // turned off in the java-decoders execution (which -Dtest=... also runs these classes in): skipped there
        if (loaded == null && installed(soname) && !"false".equals(System.getProperty(property))) {
            throw new AssertionError(soname + " is installed but not usable: " + binding.unavailableReason());
        }
        return loaded;
    }

    /** Debian's and most distributions' library directories. */
    private static boolean installed(String soname) {
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/x86_64-linux-gnu",
                "/usr/lib64", "/usr/lib"}) {
            if (Files.exists(Path.of(dir, soname))) {
                return true;
            }
        }
        return false;
    }

    /** For LibDeflateTest. */
    static final class LibDeflateMissing extends SkipWithoutDecoderLibraries {
        LibDeflateMissing() {
            super("libdeflate", LibDeflate.BINDING);
        }
    }

    /** For LibLzmaTest. */
    static final class LibLzmaMissing extends SkipWithoutDecoderLibraries {
        LibLzmaMissing() {
            super("liblzma", LibLzma.BINDING);
        }
    }
}
