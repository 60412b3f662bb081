package dev.strata.squashfs.read;

import dev.strata.squashfs.format.CorruptImageException;
import dev.strata.squashfs.format.XattrIdEntry;
import dev.strata.squashfs.format.XattrKey;
import java.io.IOException;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** Reads one inode's extended attributes through the xattr id table and the key/value area. */
final class XattrReader {
    /** Linux refuses larger values (XATTR_SIZE_MAX). */
    static final int MAX_VALUE = 65536;
    /** Smallest stored pair: a 4-byte key header, a 1-byte name, a 4-byte value size. */
    private static final int MIN_PAIR = 9;

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
        if (entry.count() == 0 || entry.count() > entry.size() / MIN_PAIR) {
            throw new CorruptImageException(idIn.imageOffset(), what + " claims " + entry.count() + " pairs in "
                    + entry.size() + " bytes");
        }
        MetadataInput in = values.open(entry.kvReference());
        TreeMap<String, byte[]> result = new TreeMap<>();
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
            if (result.put(key.fullName(), value) != null) {
                throw new CorruptImageException(at, what + " holds '" + key.fullName() + "' twice");
            }
            if (in.consumed() > entry.size()) {
                break;
            }
        }
        if (in.consumed() != entry.size()) {
            throw new CorruptImageException(in.imageOffset(), what + " should take " + entry.size()
                    + " bytes but its " + entry.count() + " pairs take " + in.consumed());
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
