package dev.strata.spec;

import dev.strata.overlay.config.BootStyle;
import dev.strata.overlay.config.DataFilesystem;
import dev.strata.overlay.config.DataVolume;
import dev.strata.overlay.config.LowerSource;
import dev.strata.overlay.config.OverlayConfig;
import dev.strata.overlay.config.OverlayConfigException;
import dev.strata.overlay.config.OverlayMode;
import dev.strata.overlay.config.ResetTrigger;
import dev.strata.profile.ImageSettings;
import dev.strata.profile.Profile;
import dev.strata.profile.ProfileException;
import dev.strata.profile.Profiles;
import dev.strata.squashfs.compress.CompressorId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The spec's {@code profile:} and {@code image:} keys: finds the profile, checks the image section
 * against it (unknown keys with the closest known one, inputs that do not exist, option values),
 * and gives the defaults the profile sets for the squashfs and overlay sections.
 */
final class ProfileSection {
    private final Optional<ImageSpec> image;
    private final Optional<ImageSettings> settings;

    private ProfileSection(Optional<ImageSpec> image, Optional<ImageSettings> settings) {
        this.image = image;
        this.settings = settings;
    }

    static ProfileSection read(YamlMap top, String name, String version, Path baseDirectory) throws SpecException {
        if (!top.has("profile")) {
            if (top.has("image")) {
                throw new SpecException(top.keyLocation("image"), "image: the image section configures a device"
                        + " profile, but the spec names none: add profile: NAME (strata profiles lists them)");
            }
            return new ProfileSection(Optional.empty(), Optional.empty());
        }
        YamlValue pv = top.require("profile");
        Profile profile;
        try {
            profile = Profiles.find(pv.asNonEmptyString(), baseDirectory);
        } catch (ProfileException e) {
            throw pv.error(e.getMessage());
        }
        Map<String, SpecPath> inputs = new LinkedHashMap<>();
        Map<String, String> options = new LinkedHashMap<>();
        if (top.has("image")) {
            YamlMap m = top.require("image").asMap();
            List<String> known = new ArrayList<>(profile.inputs().keySet());
            known.addAll(profile.options().keySet());
            for (String key : m.keys()) {
                if (!known.contains(key)) {
                    throw new SpecException(m.keyLocation(key), "image: profile " + profile.name() + " has no input or"
                            + " option '" + key + "'" + Suggestions.didYouMean(key, known) + " (inputs: "
                            + String.join(", ", profile.inputs().keySet()) + "; options: "
                            + String.join(", ", profile.options().keySet()) + ")");
                }
                YamlValue v = m.require(key);
                Profile.InputDecl in = profile.inputs().get(key);
                if (in != null) {
                    String written = v.asNonEmptyString();
                    Path p = baseDirectory.resolve(written).normalize();
                    String expected = in.directory() ? "a directory" : "a file";
                    if (!Files.exists(p)) {
                        throw v.error("image input " + key + ": " + written + " does not exist (looked for " + p + ")");
                    }
                    if (in.directory() != Files.isDirectory(p)) {
                        throw v.error("image input " + key + ": " + written + " is not " + expected);
                    }
                    inputs.put(key, new SpecPath(p, written, v.location()));
                } else {
                    String value = v.asString();
                    String problem = ImageSettings.problemWithValue(profile.options().get(key), value);
                    if (problem != null) {
                        throw v.error("image: " + problem);
                    }
                    options.put(key, value);
                }
            }
        }
        for (Profile.InputDecl in : profile.inputs().values()) {
            if (in.required() && !inputs.containsKey(in.name())) {
                SpecLocation at = top.has("image") ? top.keyLocation("image") : top.keyLocation("profile");
                throw new SpecException(at, "profile " + profile.name() + " needs image input " + in.name() + " ("
                        + in.help() + "): add it under image:");
            }
        }
        ImageSpec spec = new ImageSpec(profile, pv.location(), inputs, options);
        return new ProfileSection(Optional.of(spec), Optional.of(spec.settings(name, version)));
    }

    Optional<ImageSpec> image() {
        return image;
    }

    /** The squashfs settings a spec without them gets: the profile's, else Strata's defaults. */
    SquashfsSpec squashfsDefaults(SpecLocation location) throws SpecException {
        SquashfsSpec d = SquashfsSpec.defaults(location);
        if (image.isEmpty()) {
            return d;
        }
        Profile.SquashfsDefaults p = image.get().profile().squashfs();
        CompressorId compression = d.compression();
        if (p.compression().isPresent()) {
            try {
                compression = CompressorId.fromName(p.compression().get());
            } catch (IllegalArgumentException e) {
                throw new SpecException(image.get().profileLocation(), "profile " + image.get().profile().name()
                        + ": " + e.getMessage());
            }
        }
        List<String> options = p.compression().isPresent() ? p.options() : d.compressionOptions();
        return new SquashfsSpec(compression, options, p.blockSize().orElse(d.blockSize()), d.fragments(), d.tailEnds(),
                d.deduplicate(), d.xattrs(), d.pad(), d.exportTable(), d.maxSize(), d.location());
    }

    /** Where an overlay section starts: the profile's defaults for its device, else overlay-init's. */
    OverlayConfig.Builder overlayBuilder() throws SpecException {
        if (image.isEmpty() || image.get().profile().overlay().defaults().isEmpty()) {
            return OverlayConfig.builder();
        }
        Profile profile = image.get().profile();
        OverlayConfig.Builder b = OverlayConfig.builder();
        String key = null;
        try {
            for (Map.Entry<String, String> e : profile.overlay().defaults().entrySet()) {
                key = e.getKey();
                String v = settings.get().render(e.getValue(), "overlay default " + key);
                switch (key) {
                    case "style" -> b.style(BootStyle.fromKey(v));
                    case "mode" -> b.mode(OverlayMode.fromKey(v));
                    case "data" -> b.data(DataVolume.parse(v));
                    case "filesystem" -> b.filesystem(DataFilesystem.fromKey(v));
                    case "boot-device" -> b.bootDevice(v);
                    case "lowers" -> {
                        List<LowerSource> lowers = new ArrayList<>();
                        for (String l : v.split(",")) {
                            lowers.add(LowerSource.parse(l.strip()));
                        }
                        b.lowers(lowers);
                    }
                    case "reset-triggers" -> {
                        Set<ResetTrigger> t = EnumSet.noneOf(ResetTrigger.class);
                        for (String s : v.split(",")) {
                            t.add(ResetTrigger.fromKey(s.strip()));
                        }
                        b.resetTriggers(t);
                    }
                    case "reset-flag-file" -> b.resetFlagFile(v);
                    case "init" -> b.realInit(v);
                    default -> throw new IllegalStateException(key);
                }
            }
            return b.build().toBuilder();
        } catch (OverlayConfigException | ProfileException e) {
            throw new SpecException(image.get().profileLocation(), "profile " + profile.name() + ": overlay default "
                    + key + ": " + e.getMessage());
        }
    }
}
