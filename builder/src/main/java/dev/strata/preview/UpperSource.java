package dev.strata.preview;

import dev.strata.overlay.merge.Layer;
import dev.strata.overlay.merge.MergeOptions;
import dev.strata.overlay.merge.UpperArchiveReader;
import dev.strata.overlay.merge.UpperDirectoryReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Reads an upper layer from whatever the user has: a directory or an archive (tar, OCI layer, strata-export). */
public final class UpperSource {
    public enum Kind { AUTO, DIRECTORY, TAR, OCI }

    private UpperSource() {
    }

    public static Layer read(Path upper, Kind kind, MergeOptions options) throws IOException {
        if (!Files.exists(upper, LinkOption.NOFOLLOW_LINKS)) {
            throw new PreviewException(upper + ": no such upper directory or archive");
        }
        boolean dir = Files.isDirectory(upper);
        if (kind == Kind.DIRECTORY || kind == Kind.AUTO && dir) {
            if (!dir) {
                throw new PreviewException(upper + ": not a directory");
            }
            return new UpperDirectoryReader(options).read(upper);
        }
        if (dir) {
            throw new PreviewException(upper + ": a directory, but --upper-format " + kind.name().toLowerCase()
                    + " expects an archive");
        }
        UpperArchiveReader.Format format = switch (kind) {
            case TAR -> UpperArchiveReader.Format.OVERLAY;
            case OCI -> UpperArchiveReader.Format.OCI;
            default -> UpperArchiveReader.Format.AUTO;
        };
        return new UpperArchiveReader(options).read(upper, format);
    }
}
