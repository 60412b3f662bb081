package dev.strata.squashfs.tree;

/** A block or character device node. */
public final class DeviceNode extends Node {
    private final NodeType type;
    private final int major;
    private final int minor;

    public DeviceNode(NodeType type, int major, int minor, int permissions) {
        super(permissions);
        if (type != NodeType.BLOCK_DEVICE && type != NodeType.CHAR_DEVICE) {
            throw new IllegalArgumentException("not a device type: " + type);
        }
        if (major < 0 || major > 0xFFF || minor < 0 || minor > 0xFFFFF) {
            throw new IllegalArgumentException("device number " + major + ":" + minor
                    + " out of range (major 0..4095, minor 0..1048575)");
        }
        this.type = type;
        this.major = major;
        this.minor = minor;
    }

    @Override
    public NodeType type() {
        return type;
    }

    public int major() {
        return major;
    }

    public int minor() {
        return minor;
    }

    /** The Linux dev_t encoding (new_encode_dev), as SquashFS stores it. */
    public int rdev() {
        return (minor & 0xFF) | (major << 8) | ((minor & ~0xFF) << 12);
    }

    public static int majorOf(int rdev) {
        return (rdev & 0xFFF00) >>> 8;
    }

    public static int minorOf(int rdev) {
        return (rdev & 0xFF) | ((rdev >>> 12) & 0xFFF00);
    }
}
