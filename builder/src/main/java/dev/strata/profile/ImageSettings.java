package dev.strata.profile;

import dev.strata.image.fat.FatWriter;
import dev.strata.image.flash.SysupgradeTar;
import dev.strata.image.partition.Guids;
import dev.strata.image.partition.MbrTable;
import dev.strata.image.partition.PartitionScheme;
import dev.strata.profile.Profile.OptionDecl;
import dev.strata.spec.ByteSize;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A profile with the spec's {@code image:} values: the inputs the user gave, every option (set or
 * default), and the identifiers derived from the spec so the same spec always makes the same disk:
 * the MBR disk signature, the GPT disk GUID and the FAT serial numbers come from the firmware's name,
 * version and profile unless the spec sets them.
 */
public final class ImageSettings {
    private final Profile profile;
    private final Map<String, Path> inputs;
    private final Map<String, String> options;
    private final String firmwareName;
    private final String firmwareVersion;

    private ImageSettings(Profile profile, Map<String, Path> inputs, Map<String, String> options, String firmwareName,
                          String firmwareVersion) {
        this.profile = profile;
        this.inputs = Map.copyOf(inputs);
        this.options = Map.copyOf(options);
        this.firmwareName = firmwareName;
        this.firmwareVersion = firmwareVersion;
    }

    /**
     * @param inputs  host paths of the inputs the spec gives
     * @param options option values the spec sets (others take the profile's defaults)
     */
    public static ImageSettings of(Profile profile, Map<String, Path> inputs, Map<String, String> options,
                                   String firmwareName, String firmwareVersion) {
        return new ImageSettings(profile, inputs, options, firmwareName, firmwareVersion);
    }

    public Profile profile() {
        return profile;
    }

    public String firmwareName() {
        return firmwareName;
    }

    public String firmwareVersion() {
        return firmwareVersion;
    }

    /** Why value cannot be the option's value, or null. */
    public static String problemWithValue(OptionDecl o, String value) {
        switch (o.kind()) {
            case SIZE -> {
                try {
                    if (ByteSize.parse(value) <= 0) {
                        return "option " + o.name() + " must be larger than 0";
                    }
                } catch (IllegalArgumentException e) {
                    return "option " + o.name() + ": " + e.getMessage();
                }
            }
            case CHOICE -> {
                if (!o.choices().contains(value)) {
                    return "option " + o.name() + " is '" + value + "'; choose one of " + String.join(", ", o.choices());
                }
            }
            case HEX32 -> {
                if (!value.matches("(0x)?[0-9a-fA-F]{8}")) {
                    return "option " + o.name() + " '" + value + "' is not 8 hex digits";
                }
            }
            case GUID -> {
                try {
                    UUID.fromString(value);
                    if (!value.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
                        return "option " + o.name() + " '" + value + "' is not a GUID (8-4-4-4-12 hex digits)";
                    }
                } catch (IllegalArgumentException e) {
                    return "option " + o.name() + " '" + value + "' is not a GUID (8-4-4-4-12 hex digits)";
                }
            }
            case BOARD -> {
                String p = SysupgradeTar.problemWithBoard(value);
                if (p != null) {
                    return "option " + o.name() + ": " + p;
                }
            }
            case LABEL -> {
                String p = FatWriter.problemWithLabel(value);
                if (p != null) {
                    return "option " + o.name() + ": " + p;
                }
            }
            case TEXT -> {
                if (value.contains("\n")) {
                    return "option " + o.name() + " must be one line";
                }
            }
        }
        return null;
    }

    public Optional<Path> input(String name) {
        return Optional.ofNullable(inputs.get(name));
    }

    /** The option's value as set, else its default (rendered), else "". */
    public String option(String name) throws ProfileException {
        String v = options.get(name);
        if (v != null) {
            return v;
        }
        OptionDecl d = profile.options().get(name);
        if (d == null) {
            throw new ProfileException("profile " + profile.name() + " has no option " + name);
        }
        return d.defaultValue().isPresent() ? render(d.defaultValue().get(), "option " + name + "'s default") : "";
    }

    public boolean isSet(String option) {
        return options.containsKey(option);
    }

    /** A size template rendered and read; "A - B - C" is allowed (flash size minus reserved areas). */
    public long size(String template, String what) throws ProfileException {
        String text = render(template, what).strip();
        long total = 0;
        int sign = 1;
        for (String part : text.split("\\s+")) {
            if (part.equals("-")) {
                sign = -1;
            } else if (part.equals("+")) {
                sign = 1;
            } else {
                try {
                    total += sign * ByteSize.parse(part);
                } catch (IllegalArgumentException e) {
                    throw new ProfileException(what + ": " + e.getMessage());
                }
            }
        }
        return total;
    }

    /** The partition table of the profile's first disk output (for PARTUUIDs in command lines). */
    public PartitionScheme scheme() throws ProfileException {
        for (Profile.OutputDecl o : profile.outputs()) {
            if (o instanceof Profile.DiskOutput d) {
                try {
                    return PartitionScheme.fromKey(render(d.table(), "the disk's table"));
                } catch (IllegalArgumentException e) {
                    throw new ProfileException("profile " + profile.name() + ": " + e.getMessage());
                }
            }
        }
        return PartitionScheme.MBR;
    }

    public int diskSignature() throws ProfileException {
        if (profile.options().containsKey("disk-signature") && !option("disk-signature").isEmpty()) {
            return (int) Long.parseLong(option("disk-signature").replaceFirst("^0x", ""), 16);
        }
        byte[] h = sha256("strata disk signature\0" + identity());
        return (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff);
    }

    public UUID diskGuid() throws ProfileException {
        if (profile.options().containsKey("disk-guid") && !option("disk-guid").isEmpty()) {
            return UUID.fromString(option("disk-guid"));
        }
        return Guids.nameBased("disk\0" + identity());
    }

    /** A FAT serial number for partition number (stable, and different per partition). */
    public int volumeId(int partition) {
        byte[] h = sha256("strata fat serial\0" + identity() + "\0" + partition);
        return (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff);
    }

    public String partuuid(int number) throws ProfileException {
        return scheme() == PartitionScheme.MBR ? MbrTable.partuuid(diskSignature(), number)
                : Guids.withLastByte(diskGuid(), number).toString();
    }

    private String identity() {
        return firmwareName + "\0" + firmwareVersion + "\0" + profile.name();
    }

    /**
     * Renders a template: {@code @name@}, {@code @version@}, {@code @profile@}, {@code @signature@},
     * {@code @disk-guid@}, {@code @partuuid:N@}, {@code @grub-table@} (msdos or gpt), every option,
     * and {@code @text:NAME@} for another text.
     */
    public String render(String template, String what) throws ProfileException {
        return render(template, what, Map.of());
    }

    public String render(String template, String what, Map<String, String> extra) throws ProfileException {
        Map<String, String> cache = new LinkedHashMap<>(extra);
        return Template.render(template, key -> lookup(key, cache, what), "profile " + profile.name() + ", " + what);
    }

    private String lookup(String key, Map<String, String> extra, String what) throws ProfileException {
        if (extra.containsKey(key)) {
            return extra.get(key);
        }
        switch (key) {
            case "name":
                return firmwareName;
            case "version":
                return firmwareVersion;
            case "profile":
                return profile.name();
            case "signature":
                return String.format(Locale.ROOT, "%08x", diskSignature());
            case "disk-guid":
                return diskGuid().toString();
            case "grub-table":
                return scheme() == PartitionScheme.MBR ? "msdos" : "gpt";
            default:
                break;
        }
        if (key.startsWith("partuuid:")) {
            try {
                return partuuid(Integer.parseInt(key.substring("partuuid:".length())));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (key.startsWith("text:")) {
            String name = key.substring(5);
            String t = profile.texts().get(name);
            if (t == null) {
                return null;
            }
            String marker = "\0rendering " + name;
            if (extra.containsKey(marker)) {
                throw new ProfileException("profile " + profile.name() + ": text " + name + " includes itself");
            }
            Map<String, String> inner = new LinkedHashMap<>(extra);
            inner.put(marker, "");
            return render(t, "text " + name, inner);
        }
        if (profile.options().containsKey(key)) {
            return option(key);
        }
        return null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
