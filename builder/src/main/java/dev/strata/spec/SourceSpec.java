package dev.strata.spec;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** One step of a spec's {@code sources:} list; steps are applied in order and later ones win. */
public sealed interface SourceSpec {
    SpecLocation location();

    /** How the manifest names what this step put into the image. */
    String label();

    /**
     * {@code dir: PATH}: a host directory's contents placed at {@code to}. Modes, file types, hard
     * links and user.* xattrs come from the host; owners become root unless keepOwners.
     */
    record Directory(SpecLocation location, SpecPath path, String to, boolean keepOwners, List<PathGlob> exclude)
            implements SourceSpec {
        @Override
        public String label() {
            return "dir " + path.written();
        }
    }

    /** {@code tar: PATH}: a tar archive (plain, gzip, xz, bzip2, zstd) unpacked at {@code to}. */
    record Tar(SpecLocation location, SpecPath path, String to, boolean keepOwners, int stripComponents,
               List<PathGlob> exclude) implements SourceSpec {
        @Override
        public String label() {
            return "tar " + path.written();
        }
    }

    /**
     * {@code ipk: PATH} / {@code deb: PATH}: packages, one file, a glob of files, or (ipk) a
     * directory in opkg-build layout (CONTROL/control beside the data files).
     *
     * @param register record the package in the image's opkg or dpkg database
     */
    record Package(SpecLocation location, PackageFormat format, List<SpecPath> paths, boolean keepOwners,
                   boolean register) implements SourceSpec {
        @Override
        public String label() {
            return format.key();
        }
    }

    /** {@code file: /PATH} with {@code content:} text or {@code from:} a host file. */
    record InlineFile(SpecLocation location, String path, Optional<String> content, Optional<SpecPath> from,
                      OptionalInt mode, Optional<Owner> owner) implements SourceSpec {
        @Override
        public String label() {
            return "spec " + location.brief();
        }
    }

    /** {@code mkdir: /PATH}. */
    record InlineDirectory(SpecLocation location, String path, OptionalInt mode, Optional<Owner> owner)
            implements SourceSpec {
        @Override
        public String label() {
            return "spec " + location.brief();
        }
    }

    /** {@code symlink: /PATH} with {@code target:}. */
    record InlineSymlink(SpecLocation location, String path, String target, Optional<Owner> owner)
            implements SourceSpec {
        @Override
        public String label() {
            return "spec " + location.brief();
        }
    }

    /** {@code remove: GLOB} or a list of globs: deletes what earlier steps put there (subtrees included). */
    record Removal(SpecLocation location, List<PathGlob> patterns) implements SourceSpec {
        @Override
        public String label() {
            return "remove " + location.brief();
        }
    }

    /**
     * A device or permission table: {@code makedevs:}, {@code gen_init_cpio:}, {@code gensquashfs:} or
     * {@code pseudo:} with a file, or a list of lines written in the spec.
     *
     * @param file  the table file, if the table is not inline
     * @param lines inline lines with their spec locations, if the table is inline
     * @param base  where relative host paths in the table (file sources) are resolved
     */
    record DeviceTable(SpecLocation location, TableFormat format, Optional<SpecPath> file, List<InlineLine> lines,
                       java.nio.file.Path base) implements SourceSpec {
        @Override
        public String label() {
            return format.key() + " " + file.map(SpecPath::written).orElse(location.brief());
        }
    }

    /** One line of an inline table. */
    record InlineLine(String text, SpecLocation location) {
    }

    /** An owner as written: user and group each a name (looked up in the image) or a number. */
    record Owner(Optional<String> user, Optional<String> group, SpecLocation location) {
    }
}
