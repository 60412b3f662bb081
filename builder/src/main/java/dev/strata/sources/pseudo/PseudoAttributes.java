package dev.strata.sources.pseudo;

import java.util.OptionalLong;

/**
 * The mode, owner and optional time a pseudo definition gives.
 *
 * @param mode  permission bits (07777)
 * @param mtime the time of the upper-case definition types (D, M, C, ...); empty for the lower-case
 *              ones, which mksquashfs stamps with the time it runs
 */
public record PseudoAttributes(int mode, int uid, int gid, OptionalLong mtime) {
}
