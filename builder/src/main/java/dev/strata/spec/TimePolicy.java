package dev.strata.spec;

/** What the build epoch does to inode times. */
public enum TimePolicy {
    /** Every inode gets the epoch (mksquashfs -all-time / OpenWrt's -fixed-time). */
    FIXED("fixed"),
    /** Times after the epoch become the epoch; older times are kept (reproducible-builds.org clamping). */
    CLAMP("clamp");

    private final String key;

    TimePolicy(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
