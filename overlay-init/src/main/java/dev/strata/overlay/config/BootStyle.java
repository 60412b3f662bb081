package dev.strata.overlay.config;

/** Who mounts the lower image and runs the overlay setup. */
public enum BootStyle {
    /**
     * OpenWrt style: the kernel mounts the squashfs as root and runs {@code /sbin/strata-init}
     * (installed into the lower image), which pivots into the overlay and execs the real init.
     */
    IN_ROOT("in-root"),
    /**
     * OpenELEC style: a generated initramfs finds the boot and data partitions, mounts the lowers
     * (files on the boot partition or partitions), the overlay, and switch_roots into it.
     */
    INITRAMFS("initramfs");

    private final String key;

    BootStyle(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static BootStyle fromKey(String key) {
        for (BootStyle s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        throw new OverlayConfigException("unknown boot style '" + key + "' (in-root, initramfs)");
    }
}
