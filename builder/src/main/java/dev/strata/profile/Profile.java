package dev.strata.profile;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A device profile, read from a file in {@code profiles/}: what the device's flashable images look
 * like (partition tables, boot partition contents, flash layouts), which inputs the user supplies
 * (kernel, DTBs, firmware, as in OpenWrt's Image Builder) and which options tune it.
 *
 * @param name        the name specs use ({@code profile: openwrt-x86-64})
 * @param description one line for {@code strata profiles}
 * @param basedOn     the upstream layout it reproduces, for reference
 * @param source      where it was read from
 * @param squashfs    the lower image's settings when the spec's squashfs section does not say
 * @param overlay     the overlay the device's storage allows, and defaults for the spec's overlay
 * @param inputs      files the user supplies, by name, in file order
 * @param options     settings the user may change, by name, in file order
 * @param texts       generated text files and command lines, by name (templates)
 * @param outputs     what a build writes, in order
 */
public record Profile(String name, String description, String basedOn, String source, SquashfsDefaults squashfs,
                      OverlayRules overlay, Map<String, InputDecl> inputs, Map<String, OptionDecl> options,
                      Map<String, String> texts, List<OutputDecl> outputs) {
    public Profile {
        inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
        options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
        texts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(texts));
        outputs = List.copyOf(outputs);
    }

    /**
     * @param compression a mksquashfs compressor name, if the profile sets one
     * @param blockSize   bytes, if set
     * @param options     mksquashfs -X options
     */
    public record SquashfsDefaults(Optional<String> compression, Optional<Integer> blockSize, List<String> options) {
    }

    /**
     * @param storage  data volume kinds the device offers (rootdisk, partition, mtd, tmpfs)
     * @param defaults overlay settings a spec's overlay section starts from (templates)
     * @param style    the boot style the images need, if only one works
     */
    public record OverlayRules(List<String> storage, Map<String, String> defaults, Optional<String> style) {
    }

    /** A file or directory the user supplies. */
    public record InputDecl(String name, boolean directory, boolean required, String help) {
    }

    public enum OptionKind { SIZE, TEXT, CHOICE, HEX32, GUID, BOARD, LABEL }

    /**
     * A setting.
     *
     * @param defaultValue the value when the spec does not set it; empty for "derived" or "none"
     */
    public record OptionDecl(String name, OptionKind kind, Optional<String> defaultValue, List<String> choices,
                             String help) {
    }

    /** Something a build writes. */
    public sealed interface OutputDecl permits DiskOutput, NorFirmwareOutput, SysupgradeOutput {
        /** The file name (template). */
        String file();
    }

    /**
     * A partitioned disk image (SD card, USB stick, disk).
     *
     * @param table       "mbr", "gpt" or a template naming one
     * @param first       the first partition's offset (template of a size)
     * @param alignment   partition alignment (template of a size)
     * @param gzip        also write FILE.gz
     * @param bootCode    an input whose first 440 bytes become the MBR boot code, if given
     * @param diskSize    pad the image to this size (template), empty for none
     */
    public record DiskOutput(String file, String table, String first, String alignment, boolean gzip,
                             Optional<String> bootCode, Optional<String> grubCore, Optional<String> diskSize,
                             List<PartitionDecl> partitions)
            implements OutputDecl {
    }

    /** A NOR flash firmware image: kernel, squashfs, rootfs_data marker. */
    public record NorFirmwareOutput(String file, String kernel, String eraseBlock, String firmwareSize)
            implements OutputDecl {
    }

    /** A NAND sysupgrade tar. */
    public record SysupgradeOutput(String file, String board, String kernel) implements OutputDecl {
    }

    /**
     * A partition of a disk output.
     *
     * @param size     template of a size
     * @param mbrType  the MBR type byte
     * @param gptType  a GUID or one of efi-system, linux, basic-data, bios-boot
     */
    public record PartitionDecl(int number, String name, String size, int mbrType, String gptType, boolean bootable,
                                ContentDecl content) {
    }

    /** What a partition holds. */
    public sealed interface ContentDecl permits FatDecl, RootfsDecl, DataDecl {
    }

    /** A FAT volume: label (template), type (fat16, fat32, or empty for by size), files. */
    public record FatDecl(String label, Optional<String> type, List<FatFileDecl> files) implements ContentDecl {
    }

    /** The squashfs root with the rootdisk data volume after it. */
    public record RootfsDecl() implements ContentDecl {
    }

    /** A data partition formatted at first boot. */
    public record DataDecl() implements ContentDecl {
    }

    public enum FatSource { INPUT, TEXT, ROOTFS, INITRAMFS, MD5 }

    /**
     * A file (or files) on a FAT partition.
     *
     * @param to        the path on the partition; ending in '/' for a directory input's files
     * @param source    where the bytes come from
     * @param ref       the input, text or entry (for md5) it names
     * @param glob      for a directory input: which files (non-recursive); empty for the whole tree
     * @param require   for a directory input: files that must be there
     * @param elseText  for an optional file input the user did not give: a text to write instead
     */
    public record FatFileDecl(String to, FatSource source, String ref, Optional<String> glob, List<String> require,
                              Optional<String> elseText) {
    }
}
