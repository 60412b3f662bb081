package dev.strata.squashfs.read;

import dev.strata.squashfs.format.CorruptImageException;
import dev.strata.squashfs.format.XattrIdEntry;
import dev.strata.squashfs.format.XattrKey;
import dev.strata.squashfs.tree.SurrogateEscape;
import java.io.IOException;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** Reads one inode's extended attributes through the xattr id table and the key/value area. */
final class XattrReader {
    /** Linux refuses larger values (XATTR_SIZE_MAX). */
    static final int MAX_VALUE = 65536;
    /** By prefix id; names that are not UTF-8 keep their bytes as {@link SurrogateEscape} characters. */
    private static final String[] PREFIXES = {"user.", "trusted.", "security."};
    /** More pairs than Linux can list for one file (XATTR_LIST_MAX is 64 KiB of names). */
    static final int MAX_PAIRS = 65536;
    /** A bound on one set's values together, so out-of-line references cannot multiply memory. */
    static final long MAX_SET_BYTES = 16L << 20;

    private final LookupTable ids;
    private final MetadataTable values;

    XattrReader(LookupTable ids, MetadataTable values) {
        this.ids = ids;
        this.values = values;
    }

    long count() {
        return ids == null ? 0 : ids.count();
    }

    /** Checks that an inode's xattr index names an entry of the id table. */
    void checkIndex(long index, long inodeNumber, long at) throws CorruptImageException {
        if (index >= count()) {
            throw new CorruptImageException(at, "inode " + inodeNumber + " has xattr index " + index + " but the image"
                    + " has " + count() + " xattr sets");
        }
    }

    SortedMap<String, byte[]> read(long index, long inodeNumber) throws IOException {
        checkIndex(index, inodeNumber, -1);
        MetadataInput idIn = ids.entry(index);
        XattrIdEntry entry = XattrIdEntry.read(idIn);
        String what = "xattr set " + index + " (inode " + inodeNumber + ")";
        // entry.size() is not checked: mksquashfs stores the listxattr size (full names + NUL + values),
        // other writers the stored bytes; neither is needed to read the pairs
        if (entry.count() == 0 || entry.count() > MAX_PAIRS) {
            throw new CorruptImageException(idIn.imageOffset(), what + " claims " + entry.count() + " pairs (1.."
                    + MAX_PAIRS + ")");
        }
        MetadataInput in = values.open(entry.kvReference());
        TreeMap<String, byte[]> result = new TreeMap<>();
        long total = 0;
        for (long i = 0; i < entry.count(); i++) {
            long at = in.imageOffset();
            XattrKey key = XattrKey.read(in);
            for (byte b : key.suffix()) {
                if (b == 0) {
                    throw new CorruptImageException(at, what + " has a name containing a NUL byte");
                }
            }
            long size = in.u32();
            byte[] value;
            if (key.outOfLine()) {
                if (size != 8) {
                    throw new CorruptImageException(at, what + ": out-of-line value reference of " + size
                            + " bytes (8 expected)");
                }
                value = readValueAt(in.u64(), what);
            } else {
                value = readValue(in, size, what, at);
            }
            total += value.length + key.suffix().length;
            if (total > MAX_SET_BYTES) {
                throw new CorruptImageException(at, what + " holds more than " + MAX_SET_BYTES + " bytes of xattrs");
            }
            String name = PREFIXES[key.prefix()] + SurrogateEscape.decode(key.suffix());
            if (result.put(name, value) != null) {
                throw new CorruptImageException(at, what + " holds '" + name + "' twice");
            }
        }
        return Collections.unmodifiableSortedMap(result);
    }

    private byte[] readValueAt(long reference, String what) throws IOException {
        MetadataInput in = values.open(reference);
        long at = in.imageOffset();
        return readValue(in, in.u32(), what, at);
    }

    private static byte[] readValue(MetadataInput in, long size, String what, long at) throws IOException {
        if (size > MAX_VALUE) {
            throw new CorruptImageException(at, what + " has a value of " + size + " bytes (at most " + MAX_VALUE + ")");
        }
        return in.bytes((int) size);
    }
}
