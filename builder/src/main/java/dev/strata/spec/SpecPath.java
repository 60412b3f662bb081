package dev.strata.spec;

import java.nio.file.Path;

/**
 * A host file named in a spec.
 *
 * @param path     resolved against the spec file's directory
 * @param written  as the spec wrote it, for messages and the manifest (no host-specific prefix)
 * @param location where the spec names it
 */
public record SpecPath(Path path, String written, SpecLocation location) {
    @Override
    public String toString() {
        return written;
    }
}
