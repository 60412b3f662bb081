package dev.strata.overlay.config;

import java.util.List;

/**
 * The filesystem a persistent data volume is formatted with on first boot. Mounting tries the
 * filesystem found on the volume, so this only matters for empty, erased or 0xdeadc0de volumes.
 */
public enum DataFilesystem {
    EXT4("ext4", true, List.of("mkfs.ext4", "mke2fs")),
    /** ext2 made by busybox mke2fs; mounted by the ext4 driver. For images without e2fsprogs. */
    EXT2("ext2", true, List.of("mkfs.ext2", "mke2fs")),
    F2FS("f2fs", true, List.of("mkfs.f2fs")),
    /** On MTD flash; formatted by the kernel from an erased or 0xdeadc0de partition, no tool needed. */
    JFFS2("jffs2", false, List.of()),
    /** On a UBI volume of an MTD device; needs ubiattach (and ubimkvol for a missing volume). */
    UBIFS("ubifs", false, List.of("ubiattach"));

    private final String key;
    private final boolean blockDevice;
    private final List<String> tools;

    DataFilesystem(String key, boolean blockDevice, List<String> tools) {
        this.key = key;
        this.blockDevice = blockDevice;
        this.tools = tools;
    }

    public String key() {
        return key;
    }

    /** True for filesystems that live on a block device (partition, rootdisk loop); false for flash. */
    public boolean onBlockDevice() {
        return blockDevice;
    }

    /** Program names of which at least one must be in the image for the first-boot format (empty: none). */
    public List<String> formatTools() {
        return tools;
    }

    public static DataFilesystem fromKey(String key) {
        for (DataFilesystem f : values()) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        throw new OverlayConfigException("unknown data filesystem '" + key + "' (ext4, ext2, f2fs, jffs2, ubifs)");
    }
}
