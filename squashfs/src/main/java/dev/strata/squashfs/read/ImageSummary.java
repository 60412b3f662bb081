package dev.strata.squashfs.read;

import dev.strata.squashfs.format.FileInode;
import dev.strata.squashfs.format.FormatLimits;
import dev.strata.squashfs.tree.NodeType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * What an image holds, counted in one walk: inodes by kind, names, hard links, file bytes, sparse
 * files, tails in fragments, files stored once for several (duplicates), inodes with xattrs, and the
 * largest files. Inodes with several names are counted once.
 *
 * @param inodesByType      inodes of each kind
 * @param names             directory entries, the root included
 * @param hardLinkedInodes  non-directory inodes with more than one name
 * @param fileBytes         the sum of file sizes
 * @param sparseFiles       files with at least one sparse (unstored, all-zero) block
 * @param sparseBytes       bytes not stored because they were sparse
 * @param fragmentTails     files whose tail (or whole content) lies in a fragment block
 * @param duplicateFiles    files whose data is shared with a file met earlier (stored once)
 * @param xattrInodes       inodes with extended attributes
 * @param largest           the largest files, largest first
 */
public record ImageSummary(Map<NodeType, Long> inodesByType, long names, long hardLinkedInodes, long fileBytes,
                           long sparseFiles, long sparseBytes, long fragmentTails, long duplicateFiles,
                           long xattrInodes, List<LargeFile> largest) {

    /** One of the largest files: its first path and size. */
    public record LargeFile(String path, long size) {
    }

    public long inodes() {
        return inodesByType.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Walks the image once. */
    public static ImageSummary of(SquashfsImage image, int largestCount) throws IOException {
        Map<NodeType, Long> byType = new EnumMap<>(NodeType.class);
        Set<Long> seen = new HashSet<>();
        Set<Long> linked = new HashSet<>();
        Map<List<Long>, Boolean> dataSeen = new HashMap<>();
        PriorityQueue<LargeFile> largest = new PriorityQueue<>(Comparator.comparingLong(LargeFile::size));
        long[] counts = new long[8]; // names, fileBytes, sparseFiles, sparseBytes, tails, duplicates, xattrs
        image.walk((path, inode) -> {
            counts[0]++;
            if (!seen.add(inode.number())) {
                linked.add(inode.number());
                return;
            }
            byType.merge(inode.type(), 1L, Long::sum);
            if (inode.hasXattrs()) {
                counts[6]++;
            }
            if (!(inode.inode() instanceof FileInode f)) {
                return;
            }
            counts[1] += f.fileSize();
            boolean sparse = false;
            for (int word : f.blockSizes()) {
                sparse |= word == 0;
            }
            if (sparse) {
                counts[2]++;
                counts[3] += f.sparse();
            }
            if (f.hasFragment() && f.fileSize() % image.blockSize() != 0) {
                counts[4]++;
            }
            if (f.fileSize() > 0) {
                List<Long> where = List.of(f.blocksStart(), (long) f.blockSizes().length,
                        f.hasFragment() ? Integer.toUnsignedLong(f.fragmentIndex()) : -1L,
                        f.hasFragment() ? (long) f.fragmentOffset() : -1L, f.fileSize());
                if (dataSeen.putIfAbsent(where, Boolean.TRUE) != null && (f.blockSizes().length > 0
                        || f.fragmentIndex() != FormatLimits.NONE)) {
                    counts[5]++;
                }
            }
            largest.add(new LargeFile(SquashfsImage.display(path), f.fileSize()));
            if (largest.size() > largestCount) {
                largest.poll();
            }
        });
        List<LargeFile> top = new ArrayList<>(largest);
        top.sort(Comparator.comparingLong(LargeFile::size).reversed().thenComparing(LargeFile::path));
        return new ImageSummary(byType, counts[0], linked.size(), counts[1], counts[2], counts[3], counts[4],
                counts[5], counts[6], List.copyOf(top));
    }
}
