package dev.strata.image.reset;

import java.util.List;

/**
 * What {@code strata reset} found and will do.
 *
 * @param layout      what the image is ("Strata in-root overlay, MBR 4d73f6c9")
 * @param action      the change, or none
 * @param untouched   what is left as it is, for the report
 */
public record ResetPlan(String layout, Action action, List<String> untouched) {
    public ResetPlan {
        untouched = List.copyOf(untouched);
    }

    /** A change to the image. */
    public sealed interface Action {
        /** What is written to. */
        String target();

        /** What the write does. */
        String effect();
    }

    /**
     * Writes {@code marker} at offset and fill bytes after it, up to length: the data volume then
     * reads as "format me" at the next boot.
     *
     * @param volume what the region is ("rootdisk of partition 2 (rootfs)")
     */
    public record Wipe(String volume, long offset, long length, byte[] marker, byte fill) implements Action {
        @Override
        public String target() {
            return volume + ", bytes " + offset + " to " + (offset + length);
        }

        @Override
        public String effect() {
            return "the 0xdeadc0de marker, then " + (fill == 0 ? "zeros" : "0xff") + " (the next boot formats it)";
        }
    }

    /**
     * Puts a reset flag file on the boot partition: the device's init carries out a soft reset,
     * keeping paths, at its next boot.
     */
    public record FlagFile(int partition, long partitionOffset, long partitionSize, String path, List<String> keep)
            implements Action {
        public FlagFile {
            keep = List.copyOf(keep);
        }

        @Override
        public String target() {
            return path + " on partition " + partition + " (the FAT boot partition)";
        }

        @Override
        public String effect() {
            return "the reset flag file keeping the configured keep list" + (keep.isEmpty() ? "" : " and "
                    + String.join(" ", keep)) + " (the next boot resets the overlay, keeping those paths)";
        }
    }

    /** Nothing to do: the image keeps no persistent overlay. */
    public record Nothing(String why) implements Action {
        @Override
        public String target() {
            return "nothing";
        }

        @Override
        public String effect() {
            return why;
        }
    }
}
