package dev.strata.spec;

/** Package kinds a spec can install. */
public enum PackageFormat {
    /** OpenWrt/opkg .ipk: a tar.gz or ar container holding control.tar.gz and data.tar.gz. */
    IPK("ipk"),
    /** Debian .deb: an ar container holding control.tar.* and data.tar.*. */
    DEB("deb");

    private final String key;

    PackageFormat(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
