package dev.strata.squashfs.testing;

import java.util.Optional;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * jqwik's counterpart of the JUnit assumptions in {@link TestEnvironment}: a property that needs a
 * real program is skipped with the reason when it is missing, instead of rejecting every try.
 */
public final class NeedsRealPrograms {
    private NeedsRealPrograms() {
    }

    /** unsquashfs and getfattr, run as root (extraction restores owners, devices, trusted.* xattrs). */
    public static final class Unsquashfs implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            Optional<String> missing = TestEnvironment.toolsMissing("unsquashfs", "getfattr");
            if (missing.isEmpty() && !TestEnvironment.isRoot()) {
                missing = Optional.of("needs root: unsquashfs restores owners and device nodes only as root");
            }
            return missing.map(SkipResult::skip).orElse(SkipResult.doNotSkip());
        }
    }

    /** Loop-mounting with the kernel. */
    public static final class KernelMount implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return TestEnvironment.kernelMountMissing().map(SkipResult::skip).orElse(SkipResult.doNotSkip());
        }
    }

    /** mksquashfs and sqfsdiff, and root to make the tree on disk. */
    public static final class Mksquashfs implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            Optional<String> missing = TestEnvironment.toolsMissing("mksquashfs", "sqfsdiff", "setfattr", "mknod",
                    "mkfifo");
            if (missing.isEmpty() && !TestEnvironment.isRoot()) {
                missing = Optional.of("needs root: making device nodes, owners and trusted.* xattrs on disk");
            }
            if (missing.isEmpty() && !TreeMaterializer.available()) {
                missing = Optional.of("raw-byte paths need --add-opens java.base/sun.nio.fs=ALL-UNNAMED");
            }
            return missing.map(SkipResult::skip).orElse(SkipResult.doNotSkip());
        }
    }
}
