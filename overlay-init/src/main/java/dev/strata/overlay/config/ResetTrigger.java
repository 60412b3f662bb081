package dev.strata.overlay.config;

/** What may ask for a factory reset at boot. */
public enum ResetTrigger {
    /** {@code strata.reset=1} (or {@code =hard}) on the kernel command line. */
    CMDLINE("cmdline"),
    /** A flag file on the boot partition, which a user can create from a PC. */
    FLAG_FILE("flag"),
    /** The on-device command {@code strata-reset}, which schedules the wipe for the next boot. */
    COMMAND("command");

    private final String key;

    ResetTrigger(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static ResetTrigger fromKey(String key) {
        for (ResetTrigger t : values()) {
            if (t.key.equals(key)) {
                return t;
            }
        }
        throw new OverlayConfigException("unknown reset trigger '" + key + "' (cmdline, flag, command)");
    }
}
