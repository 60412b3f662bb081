package dev.strata.overlay.config;

/** What the writable layer over the lower images is. */
public enum OverlayMode {
    /** Upper on the data volume: changes survive reboots until a factory reset (default). */
    PERSISTENT("persistent"),
    /** Upper on tmpfs: every boot starts from factory state. */
    VOLATILE("volatile"),
    /** No upper: the root is the read-only merge of the lowers. */
    READ_ONLY("read-only");

    private final String key;

    OverlayMode(String key) {
        this.key = key;
    }

    /** The spelling used in the config file, on the kernel command line and in specs. */
    public String key() {
        return key;
    }

    public static OverlayMode fromKey(String key) {
        for (OverlayMode m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new OverlayConfigException("unknown overlay mode '" + key + "' (persistent, volatile, read-only)");
    }
}
