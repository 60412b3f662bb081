package dev.strata.squashfs.write;

import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.format.FormatLimits;
import dev.strata.squashfs.format.XattrIdEntry;
import dev.strata.squashfs.format.XattrKey;
import dev.strata.squashfs.format.XattrTableHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Collects the distinct xattr sets of all inodes (identical sets share one id) and writes the xattr
 * table: key/value pairs, the id table and its header, laid out as mksquashfs 4.5 lays them out
 * (see {@link #writeSet}).
 */
final class XattrTableWriter {
    private final Map<XattrSet, Integer> indices = new HashMap<>();
    private final List<XattrSet> sets = new ArrayList<>();

    /** The id for an inode's xattrs, or FormatLimits.NONE when it has none. */
    int indexOf(SortedMap<String, byte[]> xattrs) {
        if (xattrs.isEmpty()) {
            return FormatLimits.NONE;
        }
        XattrSet set = new XattrSet(xattrs);
        Integer index = indices.get(set);
        if (index == null) {
            index = sets.size();
            indices.put(set, index);
            sets.add(set);
        }
        return index;
    }

    boolean isEmpty() {
        return sets.isEmpty();
    }

    /** Writes the table and returns the superblock's xattr_id_table_start. */
    long write(ImageOutput out, Compressor compressor, boolean compress) throws IOException {
        MetadataWriter kv = new MetadataWriter(compressor, compress);
        Map<ValueKey, long[]> firstCopies = new HashMap<>();
        List<XattrIdEntry> ids = new ArrayList<>();
        for (XattrSet set : sets) {
            ids.add(writeSet(set, kv, firstCopies));
        }
        long kvStart = out.position();
        out.write(kv.finish());

        MetadataWriter idTable = new MetadataWriter(compressor, compress);
        for (XattrIdEntry e : ids) {
            e.write(idTable);
        }
        byte[] idBlocks = idTable.finish();
        long idStart = out.position();
        out.write(idBlocks);
        long headerStart = out.position();
        long[] starts = MetadataWriter.blockStarts(idBlocks);
        ByteBuffer tail = ByteBuffer.allocate(XattrTableHeader.SIZE + starts.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        tail.putLong(kvStart).putInt(ids.size()).putInt(0);
        for (long s : starts) {
            tail.putLong(idStart + s);
        }
        out.write(tail.array());
        return headerStart;
    }

    /** Values longer than this are stored out of line at first (mksquashfs's XATTR_INLINE_MAX). */
    static final int INLINE_MAX = 128;
    /** A set's list should stay within this many bytes (XATTR_TARGET_MAX): longer values then go out of line. */
    static final int LIST_TARGET = 65536;
    /** The size of a reference; values at least this long are shared when repeated. */
    static final int REFERENCE_SIZE = 8;

    /**
     * One set, laid out as mksquashfs 4.5 lays it out: values above a threshold (128 bytes, halved
     * while the list would pass 64 KiB) and repeats of a value stored before (at least 8 bytes
     * long) are out of line; the new out-of-line values come first, then the list of keys with the
     * inline values and the references.
     *
     * @param firstCopies where each value of 8 bytes or more was first stored ({-1} until it is)
     */
    private static XattrIdEntry writeSet(XattrSet set, MetadataWriter kv, Map<ValueKey, long[]> firstCopies) {
        int n = set.names.length;
        int[] keySizes = new int[n];
        for (int i = 0; i < n; i++) {
            keySizes[i] = XattrKey.of(set.names[i], false).size();
        }
        boolean[] outOfLine = new boolean[n];
        for (int max = INLINE_MAX; ; max = Math.max(max / 2, REFERENCE_SIZE)) {
            long total = 0;
            for (int i = 0; i < n; i++) {
                outOfLine[i] = set.values[i].length > max;
                total += keySizes[i] + 4 + (outOfLine[i] ? REFERENCE_SIZE : set.values[i].length);
            }
            if (total <= LIST_TARGET || max == REFERENCE_SIZE) {
                break;
            }
        }
        long[] reference = new long[n];
        long[][] firstCopy = new long[n][];
        for (int i = 0; i < n; i++) {
            reference[i] = -1;
            if (set.values[i].length < REFERENCE_SIZE) {
                continue;
            }
            ValueKey key = new ValueKey(set.values[i]);
            long[] earlier = firstCopies.get(key);
            if (earlier == null) {
                firstCopy[i] = new long[] {-1};
                firstCopies.put(key, firstCopy[i]);
            } else {
                // a repeat: a reference to where the first copy is (or, within this set, to a copy of its own)
                outOfLine[i] = true;
                reference[i] = earlier[0];
            }
        }
        for (int i = 0; i < n; i++) {
            if (outOfLine[i] && reference[i] < 0) {
                reference[i] = writeValue(kv, set.values[i], firstCopy[i]);
            }
        }
        long listStart = kv.reference();
        long listSize = 0;
        for (int i = 0; i < n; i++) {
            // mksquashfs records what listxattr plus getxattr would return: names with their
            // terminating NUL, and values; the kernel does not use it
            listSize += set.names[i].getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1
                    + set.values[i].length;
            XattrKey.of(set.names[i], outOfLine[i]).write(kv);
            if (outOfLine[i]) {
                kv.u32(REFERENCE_SIZE);
                kv.u64(reference[i]);
            } else {
                writeValue(kv, set.values[i], firstCopy[i]);
            }
        }
        return new XattrIdEntry(listStart, n, listSize);
    }

    /** Writes a value record; notes its place when it is the first copy of a shareable value. */
    private static long writeValue(MetadataWriter kv, byte[] value, long[] firstCopy) {
        long at = kv.reference();
        kv.u32(value.length);
        kv.bytes(value);
        if (firstCopy != null) {
            firstCopy[0] = at;
        }
        return at;
    }

    /** An xattr set in name order, compared by content. */
    private static final class XattrSet {
        final String[] names;
        final byte[][] values;
        private final int hash;

        XattrSet(SortedMap<String, byte[]> xattrs) {
            names = xattrs.keySet().toArray(new String[0]);
            values = xattrs.values().toArray(new byte[0][]);
            hash = 31 * Arrays.hashCode(names) + Arrays.deepHashCode(values);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof XattrSet s && Arrays.equals(names, s.names) && Arrays.deepEquals(values, s.values);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private record ValueKey(byte[] value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ValueKey k && Arrays.equals(value, k.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }
    }
}
