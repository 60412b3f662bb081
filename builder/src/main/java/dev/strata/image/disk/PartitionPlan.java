package dev.strata.image.disk;

import java.util.Objects;
import java.util.UUID;

/**
 * One partition of a disk image to be written.
 *
 * @param number    Linux's partition number (MBR 1 to 4, GPT 1 to 128)
 * @param name      what it is called ("boot", "rootfs"); the GPT partition name
 * @param size      bytes; a multiple of 512 (rounded up to the disk's alignment when placed)
 * @param mbrType   MBR type byte
 * @param gptType   GPT type GUID
 * @param bootable  MBR active flag / GPT legacy BIOS bootable
 * @param content   what to write into it
 * @param sizeKnob  the setting that changes its size, for messages ("image option root-size")
 */
public record PartitionPlan(int number, String name, long size, int mbrType, UUID gptType, boolean bootable,
                            PartitionContent content, String sizeKnob) {
    public PartitionPlan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
        if (size <= 0 || size % 512 != 0) {
            throw new IllegalArgumentException("partition " + name + ": size " + size + " is not a positive multiple of 512");
        }
    }
}
