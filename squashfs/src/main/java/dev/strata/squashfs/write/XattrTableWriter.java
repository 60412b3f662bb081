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
 * table: key/value pairs, the id table and its header. A value longer than a reference that was
 * already stored is written out of line as a reference to the first copy.
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
        Map<ValueKey, Long> storedValues = new HashMap<>();
        List<XattrIdEntry> ids = new ArrayList<>();
        for (XattrSet set : sets) {
            long ref = kv.reference();
            // mksquashfs records what listxattr plus getxattr would return: names with their
            // terminating NUL, and values; the kernel does not use it
            long listSize = 0;
            for (int i = 0; i < set.names.length; i++) {
                listSize += set.names[i].getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1
                        + set.values[i].length;
                byte[] value = set.values[i];
                ValueKey key = new ValueKey(value);
                Long earlier = value.length > 8 ? storedValues.get(key) : null;
                XattrKey.of(set.names[i], earlier != null).write(kv);
                if (earlier != null) {
                    kv.u32(8);
                    kv.u64(earlier);
                } else {
                    if (value.length > 8) {
                        storedValues.put(key, kv.reference());
                    }
                    kv.u32(value.length);
                    kv.bytes(value);
                }
            }
            ids.add(new XattrIdEntry(ref, set.names.length, listSize));
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
