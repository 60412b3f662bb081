package dev.strata.image.fat;

/** The FAT variants this package writes. FAT12 (floppies, volumes under 2 MiB) is not written. */
public enum FatType {
    FAT16(2, 4085, 65524, "FAT16   "),
    FAT32(4, 65525, 0x0ffffff5L, "FAT32   ");

    private final int entryBytes;
    private final long minClusters;
    private final long maxClusters;
    private final String label;

    FatType(int entryBytes, long minClusters, long maxClusters, String label) {
        this.entryBytes = entryBytes;
        this.minClusters = minClusters;
        this.maxClusters = maxClusters;
        this.label = label;
    }

    /** Bytes per FAT entry. */
    public int entryBytes() {
        return entryBytes;
    }

    /** The type is decided by the cluster count alone (Microsoft's rule, which Linux and fsck.fat follow). */
    public long minClusters() {
        return minClusters;
    }

    public long maxClusters() {
        return maxClusters;
    }

    /** The informational file system type string in the boot sector. */
    String bootSectorLabel() {
        return label;
    }

    /** The end-of-chain value written for the last cluster of a file. */
    long endOfChain() {
        return this == FAT16 ? 0xffffL : 0x0fffffffL;
    }

    public static FatType fromKey(String key) {
        return switch (key.toLowerCase(java.util.Locale.ROOT)) {
            case "fat16" -> FAT16;
            case "fat32" -> FAT32;
            default -> throw new IllegalArgumentException("unknown FAT type '" + key + "' (fat16, fat32)");
        };
    }
}
