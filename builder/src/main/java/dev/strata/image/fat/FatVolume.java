package dev.strata.image.fat;

import dev.strata.image.partition.LittleEndian;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An existing FAT16/FAT32 volume inside a file or device: lists directories (long names included),
 * reads files, and adds or replaces a file in the root directory (what {@code strata reset --keep}
 * needs to leave a flag file on a boot partition). Nothing read from the volume is trusted: chains
 * are bounded by the cluster count, sizes by the volume.
 */
public final class FatVolume {
    private static final long MAX_FAT_BYTES = 64L << 20;

    private final FileChannel channel;
    private final long offset;
    private final FatBootSector boot;
    private final FatGeometry g;
    private final long rootCluster;
    private final byte[] fat;

    /**
     * A file or directory in the volume.
     *
     * @param name      the long name when there is one, else the short name (with Linux's case flags)
     * @param path      "/overlays/README"
     * @param shortName the stored 8.3 name
     * @param mtime     modification time, seconds (read as UTC)
     */
    public record FatEntry(String name, String path, ShortName shortName, boolean directory, long size,
                           long firstCluster, long mtime) {
    }

    private FatVolume(FileChannel channel, long offset, FatBootSector boot, long rootCluster, byte[] fat) {
        this.channel = channel;
        this.offset = offset;
        this.boot = boot;
        this.g = boot.geometry();
        this.rootCluster = rootCluster;
        this.fat = fat;
    }

    /** Opens the volume at [offset, offset + size) of channel. */
    public static FatVolume open(FileChannel channel, long offset, long size) throws IOException {
        byte[] sector = read(channel, offset, FatGeometry.SECTOR);
        FatBootSector boot = FatBootSector.decode(sector, size);
        FatGeometry g = boot.geometry();
        long fatBytes = g.fatSectors() * FatGeometry.SECTOR;
        if (fatBytes > MAX_FAT_BYTES) {
            throw new FatException("FAT of " + fatBytes + " bytes is larger than this reader handles");
        }
        byte[] fat = read(channel, offset + g.firstFatSector() * FatGeometry.SECTOR, (int) fatBytes);
        long root = 0;
        if (g.type() == FatType.FAT32) {
            root = FatBootSector.rootCluster(sector);
            if (root < 2 || root > g.clusterCount() + 1) {
                throw new FatException("FAT32 root directory cluster " + root + " lies outside the volume");
            }
        }
        return new FatVolume(channel, offset, boot, root, fat);
    }

    public FatBootSector bootSector() {
        return boot;
    }

    public FatGeometry geometry() {
        return g;
    }

    /** The label from the root directory's volume entry, else from the boot sector; "" for none. */
    public String label() throws IOException {
        byte[] dir = readDirectory(null);
        for (int off = 0; off + DirectoryRecord.SIZE <= dir.length; off += DirectoryRecord.SIZE) {
            int first = dir[off] & 0xff;
            if (first == 0) {
                break;
            }
            if (first != DirectoryRecord.DELETED) {
                DirectoryRecord r = DirectoryRecord.read(dir, off, g.type());
                if (r.attributes() != DirectoryRecord.ATTR_LONG_NAME && r.isVolumeLabel()) {
                    return new String(r.name().bytes(), java.nio.charset.StandardCharsets.ISO_8859_1).stripTrailing();
                }
            }
        }
        String l = boot.label().stripTrailing();
        return l.equals("NO NAME") ? "" : l;
    }

    /** The entries of the directory at path ("/" for the root), without "." and "..". */
    public List<FatEntry> list(String path) throws IOException {
        if (path.equals("/") || path.isEmpty()) {
            return parse(readDirectory(null), "");
        }
        FatEntry dir = find(path).orElseThrow(() -> new FatException("no directory " + path + " in the FAT volume"));
        if (!dir.directory()) {
            throw new FatException(path + " is a file, not a directory");
        }
        return parse(readDirectory(dir), dir.path());
    }

    /** The entry at path, compared without case as FAT does. */
    public Optional<FatEntry> find(String path) throws IOException {
        List<FatEntry> entries = list("/");
        FatEntry found = null;
        String[] parts = path.replaceAll("^/+", "").split("/+");
        for (int i = 0; i < parts.length; i++) {
            found = null;
            for (FatEntry e : entries) {
                if (e.name().equalsIgnoreCase(parts[i]) || e.shortName().display().equalsIgnoreCase(parts[i])) {
                    found = e;
                    break;
                }
            }
            if (found == null) {
                return Optional.empty();
            }
            if (i < parts.length - 1) {
                if (!found.directory()) {
                    return Optional.empty();
                }
                entries = parse(readDirectory(found), found.path());
            }
        }
        return Optional.ofNullable(found);
    }

    /** A file's bytes; refuses files larger than maxBytes. */
    public byte[] read(FatEntry file, long maxBytes) throws IOException {
        if (file.directory()) {
            throw new FatException(file.path() + " is a directory");
        }
        if (file.size() > maxBytes) {
            throw new FatException(file.path() + " is " + file.size() + " bytes, more than the " + maxBytes + " expected");
        }
        List<Long> chain = chain(file.firstCluster());
        long capacity = (long) chain.size() * g.clusterBytes();
        if (capacity < file.size()) {
            throw new FatException(file.path() + ": " + file.size() + " bytes but only " + chain.size() + " clusters");
        }
        byte[] out = new byte[(int) file.size()];
        int pos = 0;
        for (long c : chain) {
            if (pos >= out.length) {
                break;
            }
            int n = Math.min(g.clusterBytes(), out.length - pos);
            byte[] part = read(channel, offset + g.clusterOffset(c), n);
            System.arraycopy(part, 0, out, pos, n);
            pos += n;
        }
        return out;
    }

    /**
     * The byte ranges of a file within the volume's container, in file order (for a loop device or
     * a squashfs reader over a file on the boot partition).
     */
    public List<long[]> extents(FatEntry file) throws IOException {
        List<long[]> out = new ArrayList<>();
        long remaining = file.size();
        for (long c : chain(file.firstCluster())) {
            if (remaining <= 0) {
                break;
            }
            long n = Math.min(g.clusterBytes(), remaining);
            long at = offset + g.clusterOffset(c);
            if (!out.isEmpty() && out.get(out.size() - 1)[0] + out.get(out.size() - 1)[1] == at) {
                out.get(out.size() - 1)[1] += n;
            } else {
                out.add(new long[] {at, n});
            }
            remaining -= n;
        }
        return out;
    }

    /**
     * Adds name to the root directory with content, replacing a file of the same name. Writes the
     * data first, then both FATs, then the directory entries, so an interruption leaves at worst
     * lost clusters, never a file with wrong content.
     */
    public void putRootFile(String name, byte[] content, long mtime) throws IOException {
        String problem = FatNames.problemWith(name);
        if (problem != null) {
            throw new FatException(problem);
        }
        byte[] dir = readDirectory(null);
        Set<String> shortNames = new HashSet<>();
        List<int[]> oldSlots = new ArrayList<>();
        long oldChain = -1;
        for (Parsed p : parseWithSlots(dir, "")) {
            if (p.entry.name().equalsIgnoreCase(name)) {
                if (p.entry.directory()) {
                    throw new FatException("/" + name + " is a directory on the FAT volume");
                }
                oldSlots.add(new int[] {p.firstSlot, p.lastSlot});
                oldChain = p.entry.firstCluster();
            } else {
                shortNames.add(p.entry.shortName().display());
            }
        }
        if (oldChain > 0) {
            for (long c : chain(oldChain)) {
                setFat(c, 0);
            }
        }
        for (int[] s : oldSlots) {
            for (int i = s[0]; i <= s[1]; i++) {
                dir[i * DirectoryRecord.SIZE] = (byte) DirectoryRecord.DELETED;
            }
        }
        long clusters = FatGeometry.ceilDiv(content.length, g.clusterBytes());
        List<Long> allocated = allocate(clusters);
        for (int i = 0; i < allocated.size(); i++) {
            setFat(allocated.get(i), i == allocated.size() - 1 ? g.type().endOfChain() : allocated.get(i + 1));
            int from = i * g.clusterBytes();
            byte[] cluster = new byte[g.clusterBytes()];
            System.arraycopy(content, from, cluster, 0, Math.min(g.clusterBytes(), content.length - from));
            FatWriter.writeFully(channel, offset + g.clusterOffset(allocated.get(i)), cluster);
        }
        ShortName shortName = FatNames.shortNameFor(name, shortNames);
        boolean lfn = FatNames.needsLongName(name, shortName);
        int needed = 1 + (lfn ? LongNameRecord.slots(name) : 0);
        int slot = freeRun(dir, needed);
        if (slot < 0) {
            if (g.type() == FatType.FAT16) {
                throw new FatException("the FAT16 root directory has no room for " + needed + " more entries");
            }
            long extra = allocate(1).get(0);
            List<Long> rootChain = chain(rootCluster);
            setFat(rootChain.get(rootChain.size() - 1), extra);
            setFat(extra, g.type().endOfChain());
            FatWriter.writeFully(channel, offset + g.clusterOffset(extra), new byte[g.clusterBytes()]);
            byte[] grown = new byte[dir.length + g.clusterBytes()];
            System.arraycopy(dir, 0, grown, 0, dir.length);
            dir = grown;
            slot = freeRun(dir, needed);
        }
        int pos = slot * DirectoryRecord.SIZE;
        if (lfn) {
            pos += LongNameRecord.write(dir, pos, name, shortName.checksum());
        }
        FatTimestamp t = FatTimestamp.of(mtime);
        new DirectoryRecord(shortName, DirectoryRecord.ATTR_ARCHIVE, 0, t, t.date(), t,
                allocated.isEmpty() ? 0 : allocated.get(0), content.length).write(dir, pos);
        writeFats();
        writeDirectory(null, dir);
    }

    // ---- internals

    private record Parsed(FatEntry entry, int firstSlot, int lastSlot) {
    }

    private List<FatEntry> parse(byte[] dir, String parentPath) {
        List<FatEntry> out = new ArrayList<>();
        for (Parsed p : parseWithSlots(dir, parentPath)) {
            out.add(p.entry);
        }
        return out;
    }

    private List<Parsed> parseWithSlots(byte[] dir, String parentPath) {
        List<Parsed> out = new ArrayList<>();
        String[] parts = null;
        int expected = 0;
        int checksum = -1;
        int start = -1;
        for (int i = 0; (i + 1) * DirectoryRecord.SIZE <= dir.length; i++) {
            int off = i * DirectoryRecord.SIZE;
            int first = dir[off] & 0xff;
            if (first == 0) {
                break;
            }
            if (first == DirectoryRecord.DELETED) {
                parts = null;
                continue;
            }
            int attr = dir[off + 11] & 0xff;
            if (attr == DirectoryRecord.ATTR_LONG_NAME) {
                int ord = LongNameRecord.ordinal(dir, off);
                int seq = ord & 0x3f;
                if ((ord & LongNameRecord.LAST) != 0) {
                    parts = new String[seq];
                    expected = seq;
                    checksum = LongNameRecord.checksum(dir, off);
                    start = i;
                }
                if (parts != null && seq == expected && seq >= 1 && LongNameRecord.checksum(dir, off) == checksum) {
                    parts[seq - 1] = LongNameRecord.units(dir, off);
                    expected--;
                } else {
                    parts = null;
                }
                continue;
            }
            DirectoryRecord r = DirectoryRecord.read(dir, off, g.type());
            String longName = null;
            if (parts != null && expected == 0 && r.name().checksum() == checksum) {
                longName = String.join("", parts);
            }
            int firstSlot = longName != null ? start : i;
            parts = null;
            if (r.isVolumeLabel()) {
                continue;
            }
            String shortDisplay = r.name().display();
            if (shortDisplay.equals(".") || shortDisplay.equals("..")) {
                continue;
            }
            String name = longName != null ? longName : withCaseFlags(r);
            out.add(new Parsed(new FatEntry(name, parentPath + "/" + name, r.name(), r.isDirectory(), r.size(),
                    r.firstCluster(), r.modified().epochSeconds()), firstSlot, i));
        }
        return out;
    }

    private static String withCaseFlags(DirectoryRecord r) {
        String d = r.name().display();
        int dot = d.indexOf('.');
        String base = dot < 0 ? d : d.substring(0, dot);
        String ext = dot < 0 ? "" : d.substring(dot + 1);
        if ((r.caseFlags() & 0x08) != 0) {
            base = base.toLowerCase(Locale.ROOT);
        }
        if ((r.caseFlags() & 0x10) != 0) {
            ext = ext.toLowerCase(Locale.ROOT);
        }
        return ext.isEmpty() ? base : base + "." + ext;
    }

    private byte[] readDirectory(FatEntry dir) throws IOException {
        if (dir == null && g.type() == FatType.FAT16) {
            return read(channel, offset + g.rootDirOffset(), g.rootEntries() * DirectoryRecord.SIZE);
        }
        long first = dir == null ? rootCluster : dir.firstCluster();
        List<Long> chain = chain(first);
        if ((long) chain.size() * g.clusterBytes() > 2L * 65536 * DirectoryRecord.SIZE) {
            throw new FatException("directory " + (dir == null ? "/" : dir.path()) + " is larger than FAT allows");
        }
        byte[] out = new byte[chain.size() * g.clusterBytes()];
        for (int i = 0; i < chain.size(); i++) {
            byte[] c = read(channel, offset + g.clusterOffset(chain.get(i)), g.clusterBytes());
            System.arraycopy(c, 0, out, i * g.clusterBytes(), c.length);
        }
        return out;
    }

    private void writeDirectory(FatEntry dir, byte[] bytes) throws IOException {
        if (dir == null && g.type() == FatType.FAT16) {
            FatWriter.writeFully(channel, offset + g.rootDirOffset(), bytes);
            return;
        }
        List<Long> chain = chain(dir == null ? rootCluster : dir.firstCluster());
        for (int i = 0; i < chain.size(); i++) {
            byte[] c = new byte[g.clusterBytes()];
            System.arraycopy(bytes, i * g.clusterBytes(), c, 0, c.length);
            FatWriter.writeFully(channel, offset + g.clusterOffset(chain.get(i)), c);
        }
    }

    private long fatEntry(long cluster) {
        if (g.type() == FatType.FAT16) {
            return LittleEndian.u16(fat, (int) (2 * cluster));
        }
        return LittleEndian.u32(fat, (int) (4 * cluster)) & 0x0fffffffL;
    }

    private void setFat(long cluster, long value) {
        if (g.type() == FatType.FAT16) {
            LittleEndian.put16(fat, (int) (2 * cluster), (int) value);
        } else {
            long keep = LittleEndian.u32(fat, (int) (4 * cluster)) & 0xf0000000L;
            LittleEndian.put32(fat, (int) (4 * cluster), keep | (value & 0x0fffffffL));
        }
    }

    private List<Long> chain(long first) throws FatException {
        List<Long> out = new ArrayList<>();
        if (first == 0) {
            return out;
        }
        long c = first;
        long eoc = g.type() == FatType.FAT16 ? 0xfff8L : 0x0ffffff8L;
        while (true) {
            if (c < 2 || c > g.clusterCount() + 1) {
                throw new FatException("cluster chain from " + first + " reaches cluster " + c + ", outside the volume");
            }
            out.add(c);
            if (out.size() > g.clusterCount()) {
                throw new FatException("cluster chain from " + first + " loops");
            }
            long next = fatEntry(c);
            if (next >= eoc) {
                return out;
            }
            c = next;
        }
    }

    private List<Long> allocate(long count) throws FatException {
        List<Long> out = new ArrayList<>();
        for (long c = 2; c <= g.clusterCount() + 1 && out.size() < count; c++) {
            if (fatEntry(c) == 0) {
                out.add(c);
            }
        }
        if (out.size() < count) {
            throw new FatException("the FAT volume has no room for " + count + " more clusters");
        }
        return out;
    }

    private static int freeRun(byte[] dir, int needed) {
        int run = 0;
        for (int i = 0; (i + 1) * DirectoryRecord.SIZE <= dir.length; i++) {
            int first = dir[i * DirectoryRecord.SIZE] & 0xff;
            if (first == 0 || first == DirectoryRecord.DELETED) {
                run++;
                if (run == needed) {
                    return i - needed + 1;
                }
            } else {
                run = 0;
            }
        }
        return -1;
    }

    private void writeFats() throws IOException {
        for (int i = 0; i < FatGeometry.FATS; i++) {
            FatWriter.writeFully(channel, offset + (g.firstFatSector() + (long) i * g.fatSectors()) * FatGeometry.SECTOR,
                    fat);
        }
        if (g.type() == FatType.FAT32) {
            long free = 0;
            long nextFree = 0xffffffffL;
            for (long c = 2; c <= g.clusterCount() + 1; c++) {
                if (fatEntry(c) == 0) {
                    free++;
                    if (nextFree == 0xffffffffL) {
                        nextFree = c;
                    }
                }
            }
            byte[] fsinfo = FatWriter.fsInfo(free, nextFree);
            FatWriter.writeFully(channel, offset + (long) FatBootSector.FSINFO_SECTOR * FatGeometry.SECTOR, fsinfo);
            FatWriter.writeFully(channel, offset + (FatBootSector.BACKUP_BOOT_SECTOR + 1L) * FatGeometry.SECTOR, fsinfo);
        }
    }

    static byte[] read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position());
            if (n < 0) {
                throw new FatException("the FAT volume ends early: no bytes at " + (position + buf.position()));
            }
        }
        return buf.array();
    }
}
