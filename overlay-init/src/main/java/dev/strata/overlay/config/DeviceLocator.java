package dev.strata.overlay.config;

import java.util.List;

/**
 * How the init scripts find a block device: {@code LABEL=}, {@code UUID=}, {@code PARTUUID=},
 * {@code PARTLABEL=} or a path under {@code /dev/}. Values go into a config file and onto the kernel
 * command line, so whitespace, quotes and commas are refused here rather than on the device.
 */
public final class DeviceLocator {
    static final List<String> TAGS = List.of("LABEL=", "UUID=", "PARTUUID=", "PARTLABEL=");

    private DeviceLocator() {
    }

    /** Returns locator unchanged, or throws saying why the device could never be found by it. */
    public static String check(String what, String locator) {
        if (locator == null || locator.isEmpty()) {
            throw new OverlayConfigException(what + ": empty device locator (LABEL=, UUID=, PARTUUID=, PARTLABEL= or /dev/...)");
        }
        for (int i = 0; i < locator.length(); i++) {
            char c = locator.charAt(i);
            if (c <= ' ' || c == '"' || c == '\'' || c == '\\' || c == ',' || c == '$' || c == '`' || c == 0x7f) {
                throw new OverlayConfigException(what + ": device locator '" + locator
                        + "' contains a space, quote, comma or control character");
            }
        }
        if (locator.startsWith("/dev/") && locator.length() > 5) {
            return locator;
        }
        for (String tag : TAGS) {
            if (locator.startsWith(tag) && locator.length() > tag.length()) {
                return locator;
            }
        }
        throw new OverlayConfigException(what + ": '" + locator
                + "' is not a device locator (LABEL=, UUID=, PARTUUID=, PARTLABEL= or /dev/...)");
    }

    /** Checks an absolute path used inside a filesystem (no whitespace, quotes or "..", not "/"). */
    static String checkPath(String what, String path) {
        if (path == null || !path.startsWith("/") || path.length() < 2) {
            throw new OverlayConfigException(what + ": '" + path + "' is not an absolute path");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= ' ' || c == '"' || c == '\'' || c == '\\' || c == ',' || c == '$' || c == '`' || c == 0x7f) {
                throw new OverlayConfigException(what + ": path '" + path
                        + "' contains a space, quote, comma or control character");
            }
        }
        for (String part : path.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new OverlayConfigException(what + ": path '" + path + "' contains '.' or '..'");
            }
        }
        if (path.endsWith("/")) {
            throw new OverlayConfigException(what + ": path '" + path + "' ends with '/'");
        }
        return path;
    }
}
