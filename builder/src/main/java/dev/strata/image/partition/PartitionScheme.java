package dev.strata.image.partition;

/** Which partition table a disk image carries. */
public enum PartitionScheme {
    MBR("mbr"),
    GPT("gpt");

    private final String key;

    PartitionScheme(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static PartitionScheme fromKey(String key) {
        for (PartitionScheme s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown partition table '" + key + "' (mbr, gpt)");
    }
}
