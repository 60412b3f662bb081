package dev.strata.squashfs.write;

/** Which file data goes into shared fragment blocks. */
public enum FragmentPolicy {
    /** No fragments: every file ends in its own (possibly short) block (mksquashfs -no-fragments). */
    NONE,
    /** Files smaller than a block go into fragments (mksquashfs default). */
    SMALL_FILES,
    /** Also the tails of larger files (mksquashfs -always-use-fragments / -tailends). */
    TAIL_ENDS
}
