package dev.strata.build;

/** What a build reports while it runs; the CLI turns it into a progress line on a terminal. */
public interface BuildListener {
    /** A new phase: "dir examples/tiny-root", "writing rootfs.squashfs". */
    default void step(int index, int count, String description) {
    }

    /** File bytes compressed so far while the image is written. */
    default void writing(long doneBytes, long totalBytes) {
    }

    /** A problem that does not stop the build, one line. */
    default void warning(String line) {
    }

    BuildListener NONE = new BuildListener() {
    };
}
