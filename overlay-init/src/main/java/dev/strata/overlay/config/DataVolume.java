package dev.strata.overlay.config;

import java.util.Objects;

/**
 * Where a persistent upper lives. Written as one token in the config file and on the kernel command
 * line ({@code strata.data=}): {@code LABEL=DATA}, {@code PARTUUID=...}, {@code /dev/mmcblk0p3},
 * {@code rootdisk}, {@code rootdisk:/dev/sda2}, {@code mtd:rootfs_data}, {@code tmpfs}.
 *
 * @param kind    what sort of volume
 * @param locator a device locator for {@link Kind#PARTITION}; the device holding the squashfs for
 *                {@link Kind#ROOTDISK} (empty: the root device); the MTD partition name for
 *                {@link Kind#MTD}; empty for {@link Kind#TMPFS}
 */
public record DataVolume(Kind kind, String locator) {
    public enum Kind {
        /** A block partition found by LABEL, UUID, PARTUUID, PARTLABEL or device path. */
        PARTITION,
        /**
         * The space after the squashfs inside the root partition, from bytes_used rounded up to
         * 64 KiB, attached as a loop device (OpenWrt's "rootdisk").
         */
        ROOTDISK,
        /** An MTD partition by name (OpenWrt: rootfs_data), jffs2 or ubifs. */
        MTD,
        /** RAM only; the same as volatile mode. */
        TMPFS
    }

    public static final DataVolume ROOTDISK_OF_ROOT = new DataVolume(Kind.ROOTDISK, "");
    public static final DataVolume TMPFS = new DataVolume(Kind.TMPFS, "");

    public DataVolume {
        Objects.requireNonNull(kind, "kind");
        locator = locator == null ? "" : locator;
        switch (kind) {
            case PARTITION -> DeviceLocator.check("data volume", locator);
            case ROOTDISK -> {
                if (!locator.isEmpty()) {
                    DeviceLocator.check("rootdisk device", locator);
                }
            }
            case MTD -> {
                if (!locator.matches("[A-Za-z0-9_.+-]+")) {
                    throw new OverlayConfigException("MTD partition name '" + locator
                            + "' must be non-empty letters, digits, '_', '.', '+' or '-'");
                }
            }
            case TMPFS -> {
                if (!locator.isEmpty()) {
                    throw new OverlayConfigException("a tmpfs data volume takes no locator, got '" + locator + "'");
                }
            }
        }
    }

    public static DataVolume partition(String locator) {
        return new DataVolume(Kind.PARTITION, locator);
    }

    public static DataVolume mtd(String name) {
        return new DataVolume(Kind.MTD, name);
    }

    public static DataVolume rootdisk(String device) {
        return new DataVolume(Kind.ROOTDISK, device);
    }

    /** Parses the one-token form used in config files, specs and on the kernel command line. */
    public static DataVolume parse(String text) {
        if (text == null) {
            throw new OverlayConfigException("data volume: missing value");
        }
        if (text.equals("tmpfs")) {
            return TMPFS;
        }
        if (text.equals("rootdisk")) {
            return ROOTDISK_OF_ROOT;
        }
        if (text.startsWith("rootdisk:")) {
            return rootdisk(text.substring("rootdisk:".length()));
        }
        if (text.startsWith("mtd:")) {
            return mtd(text.substring("mtd:".length()));
        }
        return partition(text);
    }

    /** The one-token form; {@code parse(v.token())} equals v. */
    public String token() {
        return switch (kind) {
            case PARTITION -> locator;
            case ROOTDISK -> locator.isEmpty() ? "rootdisk" : "rootdisk:" + locator;
            case MTD -> "mtd:" + locator;
            case TMPFS -> "tmpfs";
        };
    }

    @Override
    public String toString() {
        return token();
    }
}
