package dev.strata.image.fat;

/**
 * Where everything lies in a FAT volume: reserved sectors (boot sector, FSInfo, backups), the two
 * FATs, the FAT16 root directory, then clusters numbered from 2. Computed once from the volume size
 * and type; the data region starts on a cluster boundary so that clusters line up with flash pages.
 *
 * @param type              FAT16 or FAT32
 * @param totalSectors      the volume's size in 512-byte sectors
 * @param sectorsPerCluster a power of two, 1 to 128
 * @param reservedSectors   sectors before the first FAT
 * @param fatSectors        sectors per FAT (there are two)
 * @param rootEntries       entries of the fixed FAT16 root directory (0 for FAT32)
 * @param clusterCount      usable clusters (numbered 2 to clusterCount + 1)
 */
public record FatGeometry(FatType type, long totalSectors, int sectorsPerCluster, int reservedSectors, long fatSectors,
                          int rootEntries, long clusterCount) {
    public static final int SECTOR = 512;
    public static final int FATS = 2;
    static final int FAT16_ROOT_ENTRIES = 512;
    static final int FAT32_RESERVED = 32;
    /** Microsoft's advice: FAT32 from 512 MiB; below that FAT16 with its smaller clusters wastes less. */
    public static final long FAT32_FROM_BYTES = 512L << 20;

    public int clusterBytes() {
        return sectorsPerCluster * SECTOR;
    }

    public long rootDirSectors() {
        return (long) rootEntries * 32 / SECTOR;
    }

    public long firstFatSector() {
        return reservedSectors;
    }

    public long firstDataSector() {
        return reservedSectors + FATS * fatSectors + rootDirSectors();
    }

    /** Byte offset of a cluster within the volume. */
    public long clusterOffset(long cluster) {
        return (firstDataSector() + (cluster - 2) * sectorsPerCluster) * SECTOR;
    }

    /** Byte offset of the FAT16 root directory. */
    public long rootDirOffset() {
        return (reservedSectors + FATS * fatSectors) * SECTOR;
    }

    /** The type Microsoft's advice picks for a volume of this many bytes. */
    public static FatType typeFor(long volumeBytes) {
        return volumeBytes >= FAT32_FROM_BYTES ? FatType.FAT32 : FatType.FAT16;
    }

    /**
     * The geometry for a volume of volumeBytes bytes.
     *
     * @param type FAT16 or FAT32, or null to choose by size
     * @throws FatException when the volume is too small or too large for the type
     */
    public static FatGeometry compute(long volumeBytes, FatType type) throws FatException {
        FatType t = type == null ? typeFor(volumeBytes) : type;
        long total = volumeBytes / SECTOR;
        int spc = defaultSectorsPerCluster(t, total);
        while (true) {
            FatGeometry g = layout(t, total, spc);
            if (g != null && g.clusterCount >= t.minClusters() && g.clusterCount <= t.maxClusters()) {
                return g;
            }
            long clusters = g == null ? 0 : g.clusterCount;
            if (g != null && clusters > t.maxClusters() && spc < 128) {
                spc *= 2;
            } else if (clusters < t.minClusters() && spc > 1) {
                spc /= 2;
            } else {
                long minBytes = (t.minClusters() + 64) * SECTOR + (t == FatType.FAT32 ? 2 * 2048 * SECTOR : 0);
                throw new FatException(String.format(java.util.Locale.ROOT,
                        "a %s volume needs %d to %d clusters; %d bytes give %d%s", t.name(), t.minClusters(),
                        t.maxClusters(), volumeBytes, clusters, clusters < t.minClusters()
                                ? " (make the partition at least " + (minBytes >> 20) + " MiB"
                                + (t == FatType.FAT32 ? ", or use fat16)" : ")") : ""));
            }
        }
    }

    /** Microsoft's cluster size table (fatgen103) for 512-byte sectors. */
    private static int defaultSectorsPerCluster(FatType t, long total) {
        if (t == FatType.FAT16) {
            if (total <= 32680) {
                return 2;
            }
            if (total <= 262144) {
                return 4;
            }
            if (total <= 524288) {
                return 8;
            }
            if (total <= 1048576) {
                return 16;
            }
            if (total <= 2097152) {
                return 32;
            }
            return 64;
        }
        if (total <= 532480) {
            return 1;
        }
        if (total <= 16777216) {
            return 8;
        }
        if (total <= 33554432) {
            return 16;
        }
        if (total <= 67108864) {
            return 32;
        }
        return 64;
    }

    /** Solves for the FAT size (it must cover every cluster it leaves room for); null when nothing fits. */
    private static FatGeometry layout(FatType t, long total, int spc) {
        int reserved = t == FatType.FAT32 ? FAT32_RESERVED : 1;
        int rootEntries = t == FatType.FAT16 ? FAT16_ROOT_ENTRIES : 0;
        long rootSectors = (long) rootEntries * 32 / SECTOR;
        long fat = 1;
        long clusters;
        while (true) {
            long data = total - reserved - FATS * fat - rootSectors;
            if (data < spc) {
                return null;
            }
            clusters = data / spc;
            long need = ceilDiv((clusters + 2) * t.entryBytes(), SECTOR);
            if (need <= fat) {
                break;
            }
            fat = need;
        }
        long misalignment = (reserved + FATS * fat + rootSectors) % spc;
        if (misalignment != 0) {
            reserved += (int) (spc - misalignment);
            long data = total - reserved - FATS * fat - rootSectors;
            if (data < spc) {
                return null;
            }
            clusters = data / spc;
        }
        return new FatGeometry(t, total, spc, reserved, fat, rootEntries, clusters);
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
