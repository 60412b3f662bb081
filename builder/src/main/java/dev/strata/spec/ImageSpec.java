package dev.strata.spec;

import dev.strata.profile.ImageSettings;
import dev.strata.profile.Profile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device profile a spec names and its {@code image:} section: the inputs (kernel, DTBs,
 * firmware) and options (partition sizes, disk signature, ...) the profile declares. Checked against
 * the profile when the spec was read: inputs exist, options have valid values.
 *
 * @param profile         the profile
 * @param profileLocation where the spec names it
 * @param inputs          input name to host path, as the spec gives them
 * @param options         option name to value, as the spec sets them
 */
public record ImageSpec(Profile profile, SpecLocation profileLocation, Map<String, SpecPath> inputs,
                        Map<String, String> options) {
    public ImageSpec {
        inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** The profile with these values, for a firmware of this name and version. */
    public ImageSettings settings(String name, String version) {
        Map<String, Path> paths = new LinkedHashMap<>();
        inputs.forEach((k, v) -> paths.put(k, v.path()));
        return ImageSettings.of(profile, paths, options, name, version);
    }
}
