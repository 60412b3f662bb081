package dev.strata.overlay.device;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The POSIX sh programs that run on the device, with where they are installed and their mode. */
public enum DeviceScript {
    /** The shared library both boot styles and the commands source. */
    LIBRARY("strata-lib.sh", "/lib/strata/strata-lib.sh", 0644),
    /** PID 1 of the in-root style (init=/sbin/strata-init). */
    IN_ROOT_INIT("strata-init", "/sbin/strata-init", 0755),
    /** /init of the initramfs style. */
    INITRAMFS_INIT("initramfs-init", "/init", 0755),
    /** Schedules a factory reset for the next boot. */
    RESET("strata-reset", "/sbin/strata-reset", 0755),
    /** Writes the upper layer as a tar.gz. */
    EXPORT("strata-export", "/sbin/strata-export", 0755);

    private final String resource;
    private final String installPath;
    private final int mode;

    DeviceScript(String resource, String installPath, int mode) {
        this.resource = resource;
        this.installPath = installPath;
        this.mode = mode;
    }

    /** The file name under dev/strata/overlay/device/ in this module's resources. */
    public String resourceName() {
        return resource;
    }

    public String installPath() {
        return installPath;
    }

    public int mode() {
        return mode;
    }

    /** The script's bytes as shipped in this jar. */
    public byte[] bytes() {
        try (InputStream in = DeviceScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource dev/strata/overlay/device/" + resource + " missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + resource, e);
        }
    }
}
