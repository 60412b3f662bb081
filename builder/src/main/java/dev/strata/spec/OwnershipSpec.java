package dev.strata.spec;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Who owns what. Everything is root-owned (0:0) unless a source is told to keep the owners it
 * records, a table or inline entry names an owner, or an override matches; overrides are applied
 * last, in order.
 *
 * @param keepArchiveOwners  default for tar, ipk and deb sources: keep the uid/gid they record
 * @param normalizeHostModes modes of files from host directories (dir sources, package directories)
 *                           made what git records: 0755 for directories and executables, else 0644,
 *                           so a checkout's umask cannot change the image
 * @param overrides          per-path owner and mode changes
 */
public record OwnershipSpec(boolean keepArchiveOwners, boolean normalizeHostModes, List<Override> overrides) {
    public static OwnershipSpec rootOwned() {
        return new OwnershipSpec(false, false, List.of());
    }

    /** {@code - path: GLOB, owner:, group:, mode:}. */
    public record Override(PathGlob path, Optional<SourceSpec.Owner> owner, OptionalInt mode, SpecLocation location) {
    }
}
