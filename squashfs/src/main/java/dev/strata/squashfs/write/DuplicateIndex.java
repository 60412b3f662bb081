package dev.strata.squashfs.write;

import dev.strata.squashfs.tree.FileContent;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The files written so far, keyed by size and CRC32C, to find an identical earlier file. A key match
 * is confirmed byte for byte against the earlier file's content (as mksquashfs compares data after
 * its checksum), so a checksum collision never merges two different files. CRC32C because the JVM
 * computes it with one instruction per 8 bytes at every JIT tier; a cryptographic digest would cost
 * a hundred times more CPU for the same answer.
 */
final class DuplicateIndex {
    private record Key(long size, int crc) {
    }

    private record Original(FileContent content, FileLayout layout) {
    }

    /** Opens the candidate's bytes again for the comparison. */
    interface Reopen {
        InputStream open() throws IOException;
    }

    private final Map<Key, List<Original>> files = new HashMap<>();

    /**
     * The layout of an earlier file with exactly the candidate's bytes, or null, in which case the
     * candidate is remembered for later files.
     */
    FileLayout findOrAdd(long size, int crc, FileContent content, FileLayout layout, Reopen candidate)
            throws IOException {
        List<Original> sameKey = files.computeIfAbsent(new Key(size, crc), k -> new ArrayList<>(1));
        for (Original original : sameKey) {
            if (sameBytes(original.content(), candidate)) {
                return original.layout();
            }
        }
        sameKey.add(new Original(content, layout));
        return null;
    }

    /** Compares block by block; an earlier file that changed or vanished since is no match. */
    private static boolean sameBytes(FileContent original, Reopen candidate) throws IOException {
        byte[] a = new byte[1 << 16];
        byte[] b = new byte[1 << 16];
        InputStream first;
        try {
            first = original.open();
        } catch (IOException e) {
            return false;
        }
        try (InputStream x = first; InputStream y = candidate.open()) {
            while (true) {
                int n = x.readNBytes(a, 0, a.length);
                int m = y.readNBytes(b, 0, b.length);
                if (n != m || Arrays.mismatch(a, 0, n, b, 0, m) >= 0) {
                    return false;
                }
                if (n < a.length) {
                    return true;
                }
            }
        }
    }
}
