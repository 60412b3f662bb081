package dev.strata.image.fat;

import dev.strata.image.BudgetException;
import dev.strata.image.partition.LittleEndian;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a FAT16 or FAT32 volume holding a {@link FileTree} of directories and regular files into a
 * region of a file. The layout is fixed by the tree alone: entries in name order, each directory's
 * clusters followed by its files' clusters and then its subdirectories, every file contiguous. Long
 * names get VFAT entries and a Windows-style short alias; names FAT cannot hold, or that differ
 * only in case, are refused with the path.
 */
public final class FatWriter {
    static final long FAT32_ROOT_CLUSTER = 2;
    private static final int MAX_DIRECTORY_ENTRIES = 65536;

    /**
     * @param type          FAT16 or FAT32, or null to choose by size
     * @param label         volume label (at most 11 characters), or null for none
     * @param volumeId      serial number
     * @param hiddenSectors the partition's first sector on its disk
     * @param what          how messages name the volume ("the boot partition")
     * @param sizeHint      what to change when the files do not fit ("raise image option boot-size")
     */
    public record Options(FatType type, String label, int volumeId, long hiddenSectors, String what,
                          String sizeHint) {
    }

    /** One file or directory as laid out. */
    public record Placed(String path, boolean directory, long size, long firstCluster, long clusters) {
    }

    /** What was written. */
    public record Result(FatGeometry geometry, List<Placed> entries, long clustersUsed) {
        public long bytesFree() {
            return (geometry.clusterCount() - clustersUsed) * geometry.clusterBytes();
        }
    }

    private final Options options;

    public FatWriter(Options options) {
        this.options = options;
    }

    /** Checks a label: at most 11 characters that FAT allows in short names, or spaces. */
    public static String problemWithLabel(String label) {
        if (label.isEmpty() || label.length() > 11) {
            return "FAT label '" + label + "' must be 1 to 11 characters";
        }
        for (char c : label.toCharArray()) {
            if (!(FatNames.shortChar(Character.toUpperCase(c)) || c == ' ') || c > 0x7e) {
                return "FAT label '" + label + "' holds '" + c + "'; use letters, digits, spaces and "
                        + FatNames.SHORT_SPECIALS;
            }
        }
        return null;
    }

    private static final class Dir {
        final String path;
        final DirectoryNode node;
        final List<Entry> entries = new ArrayList<>();
        long firstCluster;
        long clusters;
        int entryCount;

        Dir(String path, DirectoryNode node) {
            this.path = path;
            this.node = node;
        }
    }

    private static final class Entry {
        String name;
        String path;
        ShortName shortName;
        boolean longName;
        Node node;
        long size;
        long firstCluster;
        long clusters;
        Dir sub;
    }

    /**
     * Writes the volume into out at [offset, offset + volumeBytes). Metadata areas are written in
     * full; unused clusters are left as they are (zero in a new file).
     */
    public Result write(FileTree tree, FileChannel out, long offset, long volumeBytes) throws IOException {
        if (options.label() != null) {
            String problem = problemWithLabel(options.label());
            if (problem != null) {
                throw new FatException(options.what() + ": " + problem);
            }
        }
        FatGeometry g = FatGeometry.compute(volumeBytes, options.type());
        Dir root = plan("", tree.root(), g);
        int rootEntries = root.entryCount;
        if (g.type() == FatType.FAT16 && rootEntries > g.rootEntries()) {
            throw new FatException(options.what() + ": the root directory needs " + rootEntries + " entries (long names"
                    + " take one per 13 characters) but FAT16 has room for " + g.rootEntries()
                    + ": move files into a subdirectory or use FAT32");
        }
        List<Placed> placed = new ArrayList<>();
        long[] next = {2};
        if (g.type() == FatType.FAT32) {
            root.firstCluster = FAT32_ROOT_CLUSTER;
            root.clusters = Math.max(1, FatGeometry.ceilDiv((long) rootEntries * DirectoryRecord.SIZE, g.clusterBytes()));
            next[0] += root.clusters;
        }
        allocate(root, g, next, placed);
        long used = next[0] - 2;
        if (used > g.clusterCount()) {
            throw budget(root, g, used);
        }
        int[] fat = new int[(int) Math.min(Integer.MAX_VALUE - 8, g.clusterCount() + 2)];
        fat[0] = (int) (0x0fffff00L | FatBootSector.MEDIA_FIXED);
        fat[1] = (int) g.type().endOfChain();
        if (g.type() == FatType.FAT16) {
            fat[0] &= 0xffff;
        }
        chain(fat, g, root.firstCluster, root.clusters);
        chainAll(root, fat, g);

        FatBootSector boot = new FatBootSector(g, options.hiddenSectors(), options.volumeId(),
                options.label() == null ? null : options.label());
        byte[] reserved = new byte[g.reservedSectors() * FatGeometry.SECTOR];
        byte[] bootBytes = boot.encode();
        System.arraycopy(bootBytes, 0, reserved, 0, FatGeometry.SECTOR);
        if (g.type() == FatType.FAT32) {
            byte[] fsinfo = fsInfo(g.clusterCount() - used, used + 2);
            System.arraycopy(fsinfo, 0, reserved, FatBootSector.FSINFO_SECTOR * FatGeometry.SECTOR, FatGeometry.SECTOR);
            System.arraycopy(bootBytes, 0, reserved, FatBootSector.BACKUP_BOOT_SECTOR * FatGeometry.SECTOR,
                    FatGeometry.SECTOR);
            System.arraycopy(fsinfo, 0, reserved, (FatBootSector.BACKUP_BOOT_SECTOR + 1) * FatGeometry.SECTOR,
                    FatGeometry.SECTOR);
        }
        writeFully(out, offset, reserved);
        byte[] fatBytes = encodeFat(fat, g);
        for (int i = 0; i < FatGeometry.FATS; i++) {
            writeFully(out, offset + (g.firstFatSector() + (long) i * g.fatSectors()) * FatGeometry.SECTOR, fatBytes);
        }
        writeDirectories(root, null, g, out, offset);
        writeFiles(root, g, out, offset);
        return new Result(g, List.copyOf(placed), used);
    }

    private Dir plan(String path, DirectoryNode node, FatGeometry g) throws FatException {
        Dir dir = new Dir(path, node);
        Set<String> usedShort = new HashSet<>();
        Map<String, String> folded = new HashMap<>();
        int count = path.isEmpty() ? (options.label() != null ? 1 : 0) : 2;
        for (Map.Entry<Name, Node> child : node.children().entrySet()) {
            String name = child.getKey().toString();
            String childPath = path + "/" + name;
            String problem = FatNames.problemWith(name);
            if (problem != null) {
                throw new FatException(options.what() + ": " + childPath + ": " + problem);
            }
            String clash = folded.put(FatNames.foldedKey(name), name);
            if (clash != null) {
                throw new FatException(options.what() + ": " + path + "/" + clash + " and " + childPath
                        + " are the same name on FAT, which ignores case");
            }
            Node n = child.getValue();
            Entry e = new Entry();
            e.name = name;
            e.path = childPath;
            e.node = n;
            e.shortName = FatNames.shortNameFor(name, usedShort);
            e.longName = FatNames.needsLongName(name, e.shortName);
            if (n instanceof DirectoryNode d) {
                e.sub = plan(childPath, d, g);
            } else if (n instanceof FileNode f) {
                e.size = f.content().size();
                if (e.size > 0xffff_ffffL) {
                    throw new FatException(options.what() + ": " + childPath + " is " + e.size
                            + " bytes; FAT files stop at 4 GiB - 1");
                }
            } else {
                throw new FatException(options.what() + ": " + childPath + " is a " + n.type().toString()
                        .toLowerCase(java.util.Locale.ROOT) + "; FAT holds only directories and regular files");
            }
            count += 1 + (e.longName ? LongNameRecord.slots(name) : 0);
            dir.entries.add(e);
        }
        if (count > MAX_DIRECTORY_ENTRIES) {
            throw new FatException(options.what() + ": directory " + (path.isEmpty() ? "/" : path) + " needs " + count
                    + " entries; FAT directories hold at most " + MAX_DIRECTORY_ENTRIES);
        }
        dir.entryCount = count;
        return dir;
    }

    private static void allocate(Dir dir, FatGeometry g, long[] next, List<Placed> placed) {
        for (Entry e : dir.entries) {
            if (e.sub == null) {
                e.clusters = FatGeometry.ceilDiv(e.size, g.clusterBytes());
                e.firstCluster = e.clusters == 0 ? 0 : next[0];
                next[0] += e.clusters;
                placed.add(new Placed(e.path, false, e.size, e.firstCluster, e.clusters));
            }
        }
        for (Entry e : dir.entries) {
            if (e.sub != null) {
                Dir sub = e.sub;
                sub.clusters = FatGeometry.ceilDiv((long) sub.entryCount * DirectoryRecord.SIZE, g.clusterBytes());
                sub.firstCluster = next[0];
                e.firstCluster = sub.firstCluster;
                e.clusters = sub.clusters;
                next[0] += sub.clusters;
                placed.add(new Placed(e.path, true, 0, sub.firstCluster, sub.clusters));
                allocate(sub, g, next, placed);
            }
        }
    }

    private BudgetException budget(Dir root, FatGeometry g, long used) {
        List<BudgetException.Contributor> files = new ArrayList<>();
        collect(root, files);
        files.sort(Comparator.comparingLong(BudgetException.Contributor::bytes).reversed()
                .thenComparing(BudgetException.Contributor::name));
        long capacity = g.clusterCount() * g.clusterBytes();
        return new BudgetException(options.what() + " (" + g.type() + ", " + g.clusterBytes() + "-byte clusters)",
                capacity, used * g.clusterBytes(), files, options.sizeHint());
    }

    private static void collect(Dir dir, List<BudgetException.Contributor> out) {
        for (Entry e : dir.entries) {
            if (e.sub != null) {
                collect(e.sub, out);
            } else {
                out.add(new BudgetException.Contributor(e.path, e.size));
            }
        }
    }

    private static void chain(int[] fat, FatGeometry g, long first, long clusters) {
        for (long c = first; c < first + clusters; c++) {
            fat[(int) c] = (int) (c == first + clusters - 1 ? g.type().endOfChain() : c + 1);
        }
    }

    private static void chainAll(Dir dir, int[] fat, FatGeometry g) {
        for (Entry e : dir.entries) {
            if (e.clusters > 0) {
                chain(fat, g, e.firstCluster, e.clusters);
            }
            if (e.sub != null) {
                chainAll(e.sub, fat, g);
            }
        }
    }

    private static byte[] encodeFat(int[] fat, FatGeometry g) {
        byte[] b = new byte[(int) (g.fatSectors() * FatGeometry.SECTOR)];
        for (int i = 0; i < fat.length; i++) {
            if (g.type() == FatType.FAT16) {
                LittleEndian.put16(b, 2 * i, fat[i]);
            } else {
                LittleEndian.put32(b, 4 * i, Integer.toUnsignedLong(fat[i]));
            }
        }
        return b;
    }

    static byte[] fsInfo(long freeClusters, long nextFree) {
        byte[] s = new byte[FatGeometry.SECTOR];
        LittleEndian.put32(s, 0, 0x41615252L);
        LittleEndian.put32(s, 484, 0x61417272L);
        LittleEndian.put32(s, 488, freeClusters);
        LittleEndian.put32(s, 492, nextFree);
        LittleEndian.put32(s, 508, 0xaa550000L);
        return s;
    }

    private void writeDirectories(Dir dir, Dir parent, FatGeometry g, FileChannel out, long offset) throws IOException {
        boolean fixedRoot = dir.path.isEmpty() && g.type() == FatType.FAT16;
        int bytes = fixedRoot ? g.rootEntries() * DirectoryRecord.SIZE : (int) (dir.clusters * g.clusterBytes());
        byte[] b = new byte[bytes];
        int pos = 0;
        FatTimestamp own = FatTimestamp.of(dir.node.mtime());
        if (dir.path.isEmpty()) {
            if (options.label() != null) {
                String label = (options.label() + "           ").substring(0, 11);
                byte[] nb = label.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                new DirectoryRecord(new ShortName(nb), DirectoryRecord.ATTR_VOLUME_ID, 0, own, own.date(), own, 0, 0)
                        .write(b, pos);
                pos += DirectoryRecord.SIZE;
            }
        } else {
            new DirectoryRecord(ShortName.DOT, DirectoryRecord.ATTR_DIRECTORY, 0, own, own.date(), own, dir.firstCluster, 0)
                    .write(b, pos);
            pos += DirectoryRecord.SIZE;
            // ".." of a directory in the root points at cluster 0, whatever the FAT type
            long up = parent == null || parent.path.isEmpty() ? 0 : parent.firstCluster;
            FatTimestamp parentTime = FatTimestamp.of(parent == null ? dir.node.mtime() : parent.node.mtime());
            new DirectoryRecord(ShortName.DOT_DOT, DirectoryRecord.ATTR_DIRECTORY, 0, parentTime, parentTime.date(),
                    parentTime, up, 0).write(b, pos);
            pos += DirectoryRecord.SIZE;
        }
        for (Entry e : dir.entries) {
            if (e.longName) {
                pos += LongNameRecord.write(b, pos, e.name, e.shortName.checksum());
            }
            FatTimestamp t = FatTimestamp.of(e.node.mtime());
            int attr = e.sub != null ? DirectoryRecord.ATTR_DIRECTORY : DirectoryRecord.ATTR_ARCHIVE;
            new DirectoryRecord(e.shortName, attr, 0, t, t.date(), t, e.firstCluster, e.sub != null ? 0 : e.size)
                    .write(b, pos);
            pos += DirectoryRecord.SIZE;
        }
        long at = fixedRoot ? g.rootDirOffset() : g.clusterOffset(dir.firstCluster);
        writeFully(out, offset + at, b);
        for (Entry e : dir.entries) {
            if (e.sub != null) {
                writeDirectories(e.sub, dir, g, out, offset);
            }
        }
    }

    private void writeFiles(Dir dir, FatGeometry g, FileChannel out, long offset) throws IOException {
        byte[] buffer = new byte[1 << 16];
        for (Entry e : dir.entries) {
            if (e.sub != null) {
                writeFiles(e.sub, g, out, offset);
                continue;
            }
            if (e.size == 0) {
                continue;
            }
            FileContent content = ((FileNode) e.node).content();
            long pos = offset + g.clusterOffset(e.firstCluster);
            long written = 0;
            try (InputStream in = content.open()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (written + n > e.size) {
                        throw new FatException(options.what() + ": " + e.path + " (" + content.origin()
                                + ") grew while it was written");
                    }
                    writeFully(out, pos + written, ByteBuffer.wrap(buffer, 0, n));
                    written += n;
                }
            }
            if (written != e.size) {
                throw new FatException(options.what() + ": " + e.path + " (" + content.origin() + ") has " + written
                        + " bytes, not the " + e.size + " it had when the volume was laid out");
            }
            long slack = e.clusters * g.clusterBytes() - e.size;
            if (slack > 0) {
                writeFully(out, pos + e.size, new byte[(int) slack]);
            }
        }
    }

    static void writeFully(FileChannel ch, long position, byte[] bytes) throws IOException {
        writeFully(ch, position, ByteBuffer.wrap(bytes));
    }

    static void writeFully(FileChannel ch, long position, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            position += ch.write(buf, position);
        }
    }
}
