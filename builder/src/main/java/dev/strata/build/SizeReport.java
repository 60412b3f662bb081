package dev.strata.build;

import dev.strata.spec.ByteSize;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Where the image's bytes go: the total, the metadata, the largest directories (two levels deep) and
 * packages by compressed size, and the budget left. Per-file compressed sizes are estimates: the
 * image's real data bytes (its data and fragment blocks) shared out in proportion to how well each
 * file deflates, identical files counted once. The rest (superblock, inode, directory and other
 * tables, padding) is reported as metadata, not spread over the directories: in a small image it is
 * most of the size.
 *
 * @param imageBytes    the image file's size
 * @param metadataBytes the image less its data and fragment blocks
 * @param contentBytes  uncompressed file content, identical files counted once
 * @param directories  "/usr/lib" to estimated compressed bytes, largest first
 * @param packages     package label to estimated compressed bytes, largest first
 * @param budget       the max-size from the spec, if any
 */
public record SizeReport(long imageBytes, long metadataBytes, long contentBytes, Map<String, Long> directories,
                         Map<String, Long> packages, OptionalLong budget) {
    static final int TOP = 10;

    /** Accumulates per-file estimates. */
    static final class Builder {
        private final Map<String, Long> deflatedByDirectory = new TreeMap<>();
        private final Map<String, Long> deflatedByPackage = new TreeMap<>();
        private long totalDeflated;
        private long contentBytes;

        /** A file's first appearance (duplicates of an already counted content are skipped by the caller). */
        void add(String path, String packageLabel, long size, long deflated) {
            totalDeflated += deflated;
            contentBytes += size;
            deflatedByDirectory.merge(topDirectory(path), deflated, Long::sum);
            if (packageLabel != null) {
                deflatedByPackage.merge(packageLabel, deflated, Long::sum);
            }
        }

        /** @param dataBytes the image's data and fragment blocks, which the files' estimates share out */
        SizeReport build(long imageBytes, long dataBytes, OptionalLong budget) {
            double scale = totalDeflated == 0 ? 0 : (double) dataBytes / totalDeflated;
            return new SizeReport(imageBytes, imageBytes - dataBytes, contentBytes, largest(deflatedByDirectory, scale),
                    largest(deflatedByPackage, scale), budget);
        }

        private static Map<String, Long> largest(Map<String, Long> deflated, double scale) {
            List<Map.Entry<String, Long>> entries = new ArrayList<>(deflated.entrySet());
            entries.sort(Comparator.comparing((Map.Entry<String, Long> e) -> -e.getValue())
                    .thenComparing(Map.Entry::getKey));
            Map<String, Long> out = new LinkedHashMap<>();
            for (Map.Entry<String, Long> e : entries) {
                out.put(e.getKey(), Math.round(e.getValue() * scale));
            }
            return out;
        }

        private static String topDirectory(String path) {
            String[] parts = path.split("/");
            // parts[0] is "" for an absolute path
            if (parts.length <= 2) {
                return "/";
            }
            if (parts.length == 3) {
                return "/" + parts[1];
            }
            return "/" + parts[1] + "/" + parts[2];
        }
    }

    /** The lines shown on the terminal after a build. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(String.format("rootfs.squashfs: %s (%,d bytes) from %s of file content; metadata and padding %s",
                ByteSize.human(imageBytes), imageBytes, ByteSize.human(contentBytes), ByteSize.human(metadataBytes)));
        if (budget.isPresent()) {
            long left = budget.getAsLong() - imageBytes;
            out.add(String.format("  budget %s: %s left (%d%% used)", ByteSize.human(budget.getAsLong()),
                    ByteSize.human(left), budget.getAsLong() == 0 ? 100 : Math.round(100.0 * imageBytes / budget.getAsLong())));
        }
        table(out, "largest directories (compressed, estimated):", directories);
        if (!packages.isEmpty()) {
            table(out, "packages (compressed, estimated):", packages);
        }
        return out;
    }

    private void table(List<String> out, String title, Map<String, Long> sizes) {
        out.add(title);
        int width = 0;
        int shown = 0;
        for (String k : sizes.keySet()) {
            if (shown++ < TOP) {
                width = Math.max(width, k.length());
            }
        }
        shown = 0;
        for (Map.Entry<String, Long> e : sizes.entrySet()) {
            if (shown++ == TOP) {
                out.add(String.format("  ... and %d more", sizes.size() - TOP));
                break;
            }
            out.add(String.format("  %-" + width + "s  %9s  %3d%%", e.getKey(), ByteSize.human(e.getValue()),
                    imageBytes == 0 ? 0 : Math.round(100.0 * e.getValue() / imageBytes)));
        }
    }
}
