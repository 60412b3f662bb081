package dev.strata.image;

import dev.strata.sources.SourceException;
import dev.strata.sources.SourceTree;
import dev.strata.sources.SourceTreeBuilder;
import dev.strata.sources.TarSourceTree;
import dev.strata.sources.archive.ContentSpool;
import dev.strata.sources.exclude.ExcludeStyle;
import dev.strata.sources.exclude.ExcludeRules;
import dev.strata.sources.pseudo.DynamicFiles;
import dev.strata.sources.pseudo.PseudoMerger;
import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.compress.Compressors;
import dev.strata.squashfs.tree.FileSystemBoundary;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.write.SquashfsWriter;
import dev.strata.squashfs.write.WriteResult;
import dev.strata.squashfs.write.WriterOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Makes a SquashFS image the way mksquashfs does from the same request: sources merged into one
 * tree, excludes, pseudo definitions, owner and time overrides, then the writer. Checks the output
 * and the compressor settings before reading any source, and never leaves a partial image behind.
 */
public final class SquashfsImageCreator {
    /** What the caller hears about while an image is made. */
    public interface Listener {
        /** A definition or source entry that was skipped, one line. */
        void warning(String message);

        /** An entry of the finished tree, in the order it will be written ("/" is the root). */
        default void entry(String path, Node node) {
        }
    }

    /** A written image and the settings it was written with. */
    public record Created(Path output, WriteResult result, Compressor compressor, WriterOptions options) {
    }

    private final Clock clock;
    private final Listener listener;

    public SquashfsImageCreator(Clock clock, Listener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    public Created create(SquashfsImageRequest request) throws IOException {
        checkOutput(request);
        Compressor compressor = Compressors.create(request.compressor(), request.compressorOptions(),
                request.blockSize());
        WriterOptions requested = request.writerOptions(compressor);
        // a tar's contents are spooled beside the output, on the disk the image goes to
        try (DynamicFiles commands = new DynamicFiles(request.workingDirectory());
             ContentSpool spool = request.tar().isPresent() ? ContentSpool.create(outputDirectory(request)) : null) {
            SourceTree sources = buildSources(request, commands, spool);
            FileTree tree = sources.tree();
            tree.walk(listener::entry);
            outputDirectory(request);
            WriterOptions options = request.sortFile().isEmpty() ? requested : requested.toBuilder()
                    .sortPriorities(request.sortFile().get().priorities(sources.placements(), listener::warning)).build();
            WriteResult result = new SquashfsWriter(options).write(tree, request.output());
            return new Created(request.output(), result, compressor, options);
        }
    }

    /** The output's directory, made with its parents when missing. */
    private static Path outputDirectory(SquashfsImageRequest request) throws IOException {
        Path parent = request.output().toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : Files.createDirectories(parent);
    }

    /**
     * The tree the request describes, with where its sources landed. Scratch files of f pseudo
     * definitions live in commands until it is closed; a tar input's file contents in spool (null
     * without one).
     */
    private SourceTree buildSources(SquashfsImageRequest request, DynamicFiles commands, ContentSpool spool)
            throws IOException {
        long now = clock.instant().getEpochSecond();
        int[] user = RunningUser.ids();
        boolean syntheticRootOfSources = !request.sources().isEmpty() || request.tar().isPresent();
        SourceTreeBuilder.RootDirectory root = new SourceTreeBuilder.RootDirectory(syntheticRootOfSources ? 0777 : 0755,
                user[0], user[1], now);
        SourceTree sources;
        if (request.tar().isPresent()) {
            SquashfsImageRequest.TarInput tar = request.tar().get();
            sources = TarSourceTree.read(tar.name(), tar.stream(), spool, tarExcludes(request), root,
                    request.impliedDirectories(), request.xattrs(),
                    listener::warning);
        } else {
            ExcludeRules excludes = ExcludeRules.of(request.excludeStyle(), request.excludes(), request.sources());
            SourceTreeBuilder builder = new SourceTreeBuilder(excludes, request.xattrs(), request.keepAsDirectory(), root,
                    boundary(request.oneFileSystem()));
            request.maxDepth().ifPresent(builder::maxDepth);
            sources = builder.build(request.sources());
        }
        FileTree tree = sources.tree();
        request.xattrRules().filterSourceXattrs(tree);
        if (request.pseudoOverride()) {
            // the forced owners go on what the sources hold (beating -root-uid/-gid, as in mksquashfs),
            // and the pseudo definitions then set their own
            request.root().applyTo(tree);
            request.overrides().owners().applyTo(tree);
        }
        new PseudoMerger(now, commands, listener::warning).merge(sources, request.pseudo());
        request.xattrRules().addTo(tree);
        if (request.pseudoOverride()) {
            request.overrides().times().applyTo(tree);
        } else {
            request.root().applyTo(tree);
            request.overrides().applyTo(tree);
        }
        return sources;
    }

    /** -one-file-system and -one-file-system-x, each crossing reported as a warning; null for neither. */
    private FileSystemBoundary boundary(SquashfsImageRequest.OneFileSystem mode) {
        if (mode == SquashfsImageRequest.OneFileSystem.CROSS) {
            return null;
        }
        boolean keep = mode == SquashfsImageRequest.OneFileSystem.EMPTY_MOUNT_POINTS;
        String option = keep ? "-one-file-system" : "-one-file-system-x";
        return new FileSystemBoundary() {
            @Override
            public boolean keepsEmptyDirectories() {
                return keep;
            }

            @Override
            public void crossed(Path path, boolean keptAsEmptyDirectory) {
                listener.warning(path + " is on another file system than its source directory; "
                        + (keptAsEmptyDirectory ? "stored as an empty directory" : "left out") + " (" + option + ")");
            }
        };
    }

    private static void checkOutput(SquashfsImageRequest request) throws IOException {
        Path output = request.output();
        if (Files.isDirectory(output)) {
            throw new SourceException(output, "output " + output + " is a directory; give the image file's name");
        }
        if (Files.exists(output)) {
            if (!Files.isRegularFile(output)) {
                throw new SourceException(output, "output " + output + " is not a regular file; Strata writes"
                        + " image files only (write the file, then copy it to the device)");
            }
            if (!request.overwrite()) {
                throw new SourceException(output, "output " + output + " already exists and Strata never appends to"
                        + " an image; pass -noappend to replace it");
            }
        }
        Path ancestor = output.toAbsolutePath().normalize().getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor != null && !Files.isDirectory(ancestor)) {
            throw new SourceException(output, "output " + output + " cannot be created: " + ancestor
                    + " is not a directory");
        }
        Path realOutput = realPathOfPossiblyMissing(output);
        ExcludeRules excludes = ExcludeRules.of(request.excludeStyle(), request.excludes(), request.sources());
        boolean singleDirectory = request.sources().size() == 1 && !request.keepAsDirectory()
                && Files.isDirectory(request.sources().get(0));
        for (Path source : request.sources()) {
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                continue; // reported when the sources are read
            }
            Path realSource = source.toRealPath();
            if (!realOutput.startsWith(realSource)) {
                continue;
            }
            if (realOutput.equals(realSource)) {
                throw new SourceException(output, "output " + output + " is also a source; write the image"
                        + " somewhere else");
            }
            String prefix = singleDirectory ? "" : realSource.getFileName() + "/";
            String relative = realSource.relativize(realOutput).toString();
            if (!excludedOrUnder(excludes.forSource(source, prefix), relative)) {
                throw new SourceException(output, "output " + output + " is inside source " + source
                        + "; write the image outside the sources (or exclude it: -e "
                        + source.resolve(relative) + ")");
            }
        }
    }

    /**
     * Excludes for a tar input name paths in the archive (a leading '/' or './' dropped); patterns
     * (-wildcards, -regex) match as they do for a source directory.
     */
    private static Predicate<String> tarExcludes(SquashfsImageRequest request) {
        if (request.excludeStyle() != ExcludeStyle.EXACT) {
            return ExcludeRules.of(request.excludeStyle(), request.excludes(), List.of()).forSource(Path.of("."), "");
        }
        Set<String> paths = new HashSet<>();
        for (String e : request.excludes()) {
            List<String> parts = new ArrayList<>();
            for (String part : e.split("/")) {
                if (!part.isEmpty() && !part.equals(".")) {
                    parts.add(part);
                }
            }
            paths.add(String.join("/", parts));
        }
        return paths::contains;
    }

    /** Whether the relative path or one of the directories above it is excluded. */
    private static boolean excludedOrUnder(Predicate<String> excluded, String relative) {
        String path = relative;
        while (!path.isEmpty()) {
            if (excluded.test(path)) {
                return true;
            }
            int slash = path.lastIndexOf('/');
            path = slash < 0 ? "" : path.substring(0, slash);
        }
        return false;
    }

    /** The real path of the deepest existing ancestor, with the missing names appended. */
    private static Path realPathOfPossiblyMissing(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        return existing.toRealPath().resolve(existing.relativize(absolute));
    }
}
