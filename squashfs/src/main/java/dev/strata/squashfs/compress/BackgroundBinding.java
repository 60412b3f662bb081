package dev.strata.squashfs.compress;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A system library bound through JNA on a thread of its own the first time it is asked for: loading
 * JNA and binding a library takes 40-90 ms, which must not hold up the first block. Until it is
 * ready, where it is missing, or when its property is "false", callers use their Java code.
 *
 * @param <T> the bound library
 */
final class BackgroundBinding<T> {
    private static final String PLATFORM_LIBRARY_PATH = "jna.platform.library.path";
    private final String name;
    private final String enabledProperty;
    private final Callable<T> load;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final CompletableFuture<T> loaded = new CompletableFuture<>();
    private volatile String unavailable = "not loaded yet";

    /**
     * @param name            the library's name, for messages
     * @param enabledProperty the system property that, set to "false", keeps the library unloaded
     * @param load            binds the library; any exception or error means it cannot be used
     */
    BackgroundBinding(String name, String enabledProperty, Callable<T> load) {
        this.name = name;
        this.enabledProperty = enabledProperty;
        this.load = load;
    }

    /** The library once it is bound; null while it loads (the first call starts that) or where it cannot be used. */
    T ifReady() {
        if (!requested.getAndSet(true)) {
            start();
        }
        return loaded.getNow(null);
    }

    /** Waits for the library (starting its load); empty where it cannot be used, see {@link #unavailableReason()}. */
    Optional<T> await(Duration timeout) throws InterruptedException {
        ifReady();
        try {
            return Optional.ofNullable(loaded.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
    }

    /** Why the library is not in use. */
    String unavailableReason() {
        return unavailable;
    }

    private void start() {
        if ("false".equals(System.getProperty(enabledProperty))) {
            unavailable = "turned off (-D" + enabledProperty + "=false)";
            loaded.complete(null);
            return;
        }
        Thread loader = new Thread(() -> {
            try {
                loaded.complete(load.call());
            } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, ...: the Java code does the work
                unavailable = e.toString();
                loaded.complete(null);
            }
        }, name + "-load");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * Binds binding's static native methods to the first of names that loads (JNA direct mapping: no
     * reflection per call). The bindings pass size_t as long, so 64-bit platforms only.
     */
    static void register(Class<?> binding, String... names) {
        // JNA's library search list starts, on Linux, by running "ldconfig -p" in a new process (a
        // third of binding's time) unless this is set; the libraries are loaded by soname, which
        // the system's loader finds itself
        if (System.getProperty(PLATFORM_LIBRARY_PATH) == null) {
            System.setProperty(PLATFORM_LIBRARY_PATH, "");
        }
        if (Native.SIZE_T_SIZE != Long.BYTES) {
            throw new UnsupportedOperationException("size_t is " + Native.SIZE_T_SIZE + " bytes here; the bindings"
                    + " pass 8");
        }
        UnsatisfiedLinkError missing = null;
        for (String name : names) {
            try {
                Native.register(binding, NativeLibrary.getInstance(name));
                return;
            } catch (UnsatisfiedLinkError e) {
                missing = e;
            }
        }
        throw missing;
    }
}
