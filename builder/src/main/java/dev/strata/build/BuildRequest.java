package dev.strata.build;

import dev.strata.spec.Spec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * One build.
 *
 * @param output      the output directory from -o (wins over the spec's output)
 * @param environment SOURCE_DATE_EPOCH, and ${VAR} in gen_init_cpio locations
 * @param clock       the build time when neither SOURCE_DATE_EPOCH nor the spec fixes one
 * @param processors  threads compressing the image (the bytes never depend on it)
 */
public record BuildRequest(Spec spec, Optional<Path> output, Map<String, String> environment, Clock clock,
                           int processors) {
    public static BuildRequest of(Spec spec, Path output) {
        return new BuildRequest(spec, Optional.of(output), Map.of(), Clock.systemUTC(),
                Runtime.getRuntime().availableProcessors());
    }
}
