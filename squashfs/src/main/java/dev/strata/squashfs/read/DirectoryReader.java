package dev.strata.squashfs.read;

import dev.strata.squashfs.format.CorruptImageException;
import dev.strata.squashfs.format.DirectoryEntry;
import dev.strata.squashfs.format.DirectoryHeader;
import dev.strata.squashfs.format.DirectoryIndexEntry;
import dev.strata.squashfs.format.DirectoryInode;
import dev.strata.squashfs.format.FormatLimits;
import dev.strata.squashfs.format.InodeType;
import dev.strata.squashfs.tree.Name;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads directory listings: runs of a header and its entries, exactly as long as the inode says, names
 * valid and strictly ascending (so lookups can binary-search), inode numbers in range. Recently read
 * listings are kept, bounded by their total entry count.
 */
final class DirectoryReader {
    private static final int CACHED_ENTRIES = 1 << 16;

    private final MetadataTable directories;
    private final long inodeTableLength;
    private final long inodeCount;
    private final LinkedHashMap<Long, List<ImageEntry>> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedEntries;

    DirectoryReader(MetadataTable directories, long inodeTableLength, long inodeCount) {
        this.directories = directories;
        this.inodeTableLength = inodeTableLength;
        this.inodeCount = inodeCount;
    }

    /** The entries of a directory in stored (ascending byte) order. */
    List<ImageEntry> list(DirectoryInode dir, long inodeReference, long inodeAt) throws IOException {
        List<ImageEntry> cached;
        synchronized (cache) {
            cached = cache.get(inodeReference);
        }
        if (cached != null) {
            return cached;
        }
        List<ImageEntry> entries = Collections.unmodifiableList(read(dir, inodeAt));
        synchronized (cache) {
            cache.put(inodeReference, entries);
            cachedEntries += entries.size();
            var it = cache.values().iterator();
            while (cachedEntries > CACHED_ENTRIES && cache.size() > 1 && it.hasNext()) {
                cachedEntries -= it.next().size();
                it.remove();
            }
        }
        return entries;
    }

    /** Binary search of a listing for a name. */
    static ImageEntry find(List<ImageEntry> entries, byte[] name) {
        int lo = 0;
        int hi = entries.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(entries.get(mid).name(), name);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return entries.get(mid);
            }
        }
        return null;
    }

    /** Unsigned byte order, without copying the name. */
    private static int compare(Name a, byte[] b) {
        int n = Math.min(a.length(), b.length);
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(a.byteAt(i) & 0xFF, b[i] & 0xFF);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length(), b.length);
    }

    /**
     * The entry called name, if any. A large directory not read yet is searched as the kernel does:
     * from the last index entry whose first name is not after name, so only the metadata block or two
     * that can hold the name are read, not the whole listing.
     */
    ImageEntry find(DirectoryInode dir, long inodeReference, long inodeAt, byte[] name) throws IOException {
        List<ImageEntry> cached;
        synchronized (cache) {
            cached = cache.get(inodeReference);
        }
        if (cached != null || dir.index().isEmpty()) {
            return find(cached != null ? cached : list(dir, inodeReference, inodeAt), name);
        }
        long length = listingLength(dir, inodeAt);
        long skip = 0;
        long blockStart = dir.blockStart();
        for (DirectoryIndexEntry e : dir.index()) {
            if (Arrays.compareUnsigned(e.name(), name) > 0) {
                break;
            }
            skip = e.index();
            blockStart = e.blockStart();
        }
        if (skip >= length) {
            throw new CorruptImageException(inodeAt, "directory inode " + dir.header().inodeNumber()
                    + ": index entry at byte " + skip + " of a listing of " + length + " bytes");
        }
        int offset = (int) ((dir.blockOffset() + skip) % FormatLimits.METADATA_BLOCK_SIZE);
        ImageEntry[] found = new ImageEntry[1];
        scan(directories.open(blockStart, offset), length - skip, dir.header().inodeNumber(), e -> {
            int c = compare(e.name(), name);
            if (c == 0) {
                found[0] = e;
            }
            return c < 0;
        });
        return found[0];
    }

    private List<ImageEntry> read(DirectoryInode dir, long inodeAt) throws IOException {
        long length = listingLength(dir, inodeAt);
        List<ImageEntry> entries = new ArrayList<>();
        if (length > 0) {
            scan(directories.open(dir.blockStart(), dir.blockOffset()), length, dir.header().inodeNumber(), e -> {
                entries.add(e);
                return true;
            });
        }
        return entries;
    }

    private static long listingLength(DirectoryInode dir, long inodeAt) throws CorruptImageException {
        if (dir.fileSize() < FormatLimits.DIRECTORY_SIZE_BIAS) {
            throw new CorruptImageException(inodeAt, "directory inode " + dir.header().inodeNumber() + " has size "
                    + dir.fileSize() + " (at least " + FormatLimits.DIRECTORY_SIZE_BIAS + ")");
        }
        return dir.fileSize() - FormatLimits.DIRECTORY_SIZE_BIAS;
    }

    /** Told each entry in order; returns whether to go on. */
    private interface EntryVisitor {
        boolean visit(ImageEntry entry);
    }

    /** Parses length bytes of headers and entries from in, checking each, until the visitor stops. */
    private void scan(MetadataInput in, long length, long number, EntryVisitor visitor) throws IOException {
        String what = "directory inode " + number;
        byte[] previous = null;
        while (in.consumed() < length) {
            if (length - in.consumed() < DirectoryHeader.SIZE + DirectoryEntry.FIXED_SIZE) {
                throw new CorruptImageException(in.imageOffset(), what + ": listing ends " + (length - in.consumed())
                        + " bytes after its last entry, too short for another header at " + in.position());
            }
            long at = in.imageOffset();
            DirectoryHeader header = DirectoryHeader.read(in);
            if (header.inodeBlock() >= inodeTableLength) {
                throw new CorruptImageException(at, what + ": directory header points at inode table block "
                        + header.inodeBlock() + ", outside the table's " + inodeTableLength + " bytes");
            }
            for (int i = 0; i < header.count(); i++) {
                if (length - in.consumed() < DirectoryEntry.FIXED_SIZE) {
                    throw new CorruptImageException(in.imageOffset(), what + ": listing of " + length
                            + " bytes ends inside a run of " + header.count() + " entries");
                }
                at = in.imageOffset();
                DirectoryEntry e = DirectoryEntry.read(in);
                if (in.consumed() > length) {
                    throw new CorruptImageException(at, what + ": entry '" + Name.of(e.name()) + "' runs past the"
                            + " listing's " + length + " bytes");
                }
                long inode = header.inodeNumber() + e.inodeDelta();
                if (inode < 1 || inode > inodeCount) {
                    throw new CorruptImageException(at, what + ": entry '" + Name.of(e.name()) + "' names inode "
                            + inode + ", outside 1.." + inodeCount);
                }
                if (e.offset() >= FormatLimits.METADATA_BLOCK_SIZE) {
                    throw new CorruptImageException(at, what + ": entry '" + Name.of(e.name())
                            + "' points at offset " + e.offset() + " inside a metadata block");
                }
                if (previous != null && Arrays.compareUnsigned(previous, e.name()) >= 0) {
                    throw new CorruptImageException(at, what + ": entry '" + Name.of(e.name()) + "' is not after '"
                            + Name.of(previous) + "' (names must be unique and sorted)");
                }
                previous = e.name();
                if (!visitor.visit(new ImageEntry(Name.of(e.name()),
                        FormatLimits.reference(header.inodeBlock(), e.offset()), inode,
                        InodeType.fromCode(e.basicType()).nodeType()))) {
                    return;
                }
            }
        }
    }
}
