package dev.strata.overlay.config;

import java.util.Objects;

/**
 * One read-only squashfs layer. Written as one token: {@code boot:/SYSTEM} for an image file on the
 * boot partition (loop-mounted), or a device locator ({@code PARTUUID=...-02}, {@code LABEL=ADDON},
 * {@code /dev/nvme0n1p2}) for an image written to a partition.
 *
 * @param kind     file on the boot partition, or a device
 * @param location the absolute path on the boot partition, or the device locator
 */
public record LowerSource(Kind kind, String location) {
    public enum Kind { BOOT_FILE, DEVICE }

    private static final String BOOT_PREFIX = "boot:";

    public LowerSource {
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case BOOT_FILE -> DeviceLocator.checkPath("lower image on the boot partition", location);
            case DEVICE -> DeviceLocator.check("lower image device", location);
        }
    }

    public static LowerSource bootFile(String path) {
        return new LowerSource(Kind.BOOT_FILE, path);
    }

    public static LowerSource device(String locator) {
        return new LowerSource(Kind.DEVICE, locator);
    }

    public static LowerSource parse(String text) {
        if (text != null && text.startsWith(BOOT_PREFIX)) {
            return bootFile(text.substring(BOOT_PREFIX.length()));
        }
        return device(text);
    }

    public String token() {
        return kind == Kind.BOOT_FILE ? BOOT_PREFIX + location : location;
    }

    @Override
    public String toString() {
        return token();
    }
}
