package dev.strata.spec;

/** The device/permission table formats a spec can name. */
public enum TableFormat {
    /** Buildroot makedevs: {@code name type mode uid gid major minor start inc count}. */
    MAKEDEVS("makedevs"),
    /** Linux usr/gen_init_cpio: {@code dir|file|nod|slink|pipe|sock ...}. */
    GEN_INIT_CPIO("gen_init_cpio"),
    /** squashfs-tools-ng gensquashfs pack files (gen_init_cpio's verbs in gensquashfs order, plus link/glob). */
    GENSQUASHFS("gensquashfs"),
    /** mksquashfs -pf pseudo definitions: {@code name type mode uid gid ...}. */
    PSEUDO("pseudo");

    private final String key;

    TableFormat(String key) {
        this.key = key;
    }

    /** The spec key that names a table of this format. */
    public String key() {
        return key;
    }
}
