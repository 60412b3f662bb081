package dev.strata.image;

import dev.strata.sources.ImpliedDirectories;
import dev.strata.sources.MetadataOverrides;
import dev.strata.sources.RootOverrides;
import dev.strata.sources.SortFile;
import dev.strata.sources.XattrRules;
import dev.strata.sources.exclude.ExcludeStyle;
import dev.strata.sources.pseudo.PseudoDefinition;
import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.write.FragmentPolicy;
import dev.strata.squashfs.write.UncompressedPart;
import dev.strata.squashfs.write.WriterOptions;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Everything one mksquashfs-style image creation needs. Build with {@link #builder(Path)}; defaults
 * match mksquashfs 4.5.
 *
 * @param sources            source paths; empty for mksquashfs's "-" (the tree comes from pseudo definitions
 *                           or from tar)
 * @param tar                an uncompressed tar archive to read the tree from instead (-tar: standard input)
 * @param impliedDirectories mode and owner of the directories the tar archive implies (-default-mode, -uid, -gid)
 * @param output             the image file
 * @param overwrite          replace an existing output (-noappend); Strata never appends
 * @param keepAsDirectory    a single source directory becomes an entry of the root (-keep-as-directory)
 * @param compressor         -comp
 * @param compressorOptions  the -X options in command-line order, each followed by its argument if any
 * @param sparse             leave all-zero blocks out (-no-sparse stores them)
 * @param hardLinks          one inode for all names of a file (-no-hardlinks: one per name)
 * @param oneFileSystem      what becomes of what is mounted inside a source directory (-one-file-system,
 *                           -one-file-system-x)
 * @param sortFile           -sort: priorities that order the file data
 * @param fileOffset         -offset: where the image starts in OUTPUT
 * @param xattrRules         -xattrs-exclude, -xattrs-include, -xattrs-add
 * @param uncompressed       parts stored without compression (-noI, -noId, -noD, -noF, -noX, -no-compression)
 * @param processors         -processors; empty for all available
 * @param mkfsTime           superblock time (-mkfs-time or SOURCE_DATE_EPOCH); empty for now
 * @param root               -root-mode, -root-uid, -root-gid, -root-time
 * @param overrides          -all-root, -force-uid/-gid, -all-time, SOURCE_DATE_EPOCH clamping
 * @param excludes           entries of -e and of the -ef files
 * @param pseudo             -p and -pf definitions in command-line order
 * @param pseudoOverride     pseudo definitions' owners beat -all-root, -force-uid and -force-gid (-pseudo-override)
 * @param maxDepth           -max-depth: source entries deeper in the image are not read
 * @param workingDirectory   where f pseudo commands run and relative paths were given from
 */
public record SquashfsImageRequest(List<Path> sources, Optional<TarInput> tar, ImpliedDirectories impliedDirectories,
                                   Path output, boolean overwrite, boolean keepAsDirectory,
                                   CompressorId compressor, List<String> compressorOptions, int blockSize,
                                   boolean pad, FragmentPolicy fragments, boolean deduplicate, boolean sparse,
                                   boolean hardLinks, OneFileSystem oneFileSystem, Optional<SortFile> sortFile,
                                   long fileOffset,
                                   boolean exportTable,
                                   boolean xattrs, XattrRules xattrRules, Set<UncompressedPart> uncompressed,
                                   OptionalInt processors,
                                   OptionalLong mkfsTime, RootOverrides root,
                                   MetadataOverrides overrides, ExcludeStyle excludeStyle, List<String> excludes,
                                   List<PseudoDefinition> pseudo, boolean pseudoOverride, OptionalInt maxDepth,
                                   Path workingDirectory) {

    public SquashfsImageRequest {
        sources = List.copyOf(sources);
        compressorOptions = List.copyOf(compressorOptions);
        excludes = List.copyOf(excludes);
        pseudo = List.copyOf(pseudo);
        uncompressed = Set.copyOf(uncompressed);
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(tar, "tar");
        if (tar.isPresent() && !sources.isEmpty()) {
            throw new IllegalArgumentException("a tar input is the only source");
        }
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(compressor, "compressor");
        Objects.requireNonNull(xattrRules, "xattrRules");
        Objects.requireNonNull(impliedDirectories, "impliedDirectories");
        Objects.requireNonNull(maxDepth, "maxDepth");
        if (tar.isPresent() && maxDepth.isPresent()) {
            throw new IllegalArgumentException("-max-depth does not apply to a tar archive");
        }
    }

    /** What becomes of file systems mounted inside a source directory. */
    public enum OneFileSystem {
        /** Read them as part of the source (mksquashfs's default). */
        CROSS,
        /** -one-file-system (mksquashfs 4.6): a mount point becomes an empty directory, other entries there go. */
        EMPTY_MOUNT_POINTS,
        /** -one-file-system-x (and mksquashfs 4.5's -one-file-system): mount points are left out too. */
        LEAVE_OUT
    }

    /** A tar archive read once, as a stream, and the name messages give it ("<stdin>"). */
    public record TarInput(String name, InputStream stream) {
    }

    public static Builder builder(Path output) {
        return new Builder(output);
    }

    /** The writer settings, with the given compressor (made from {@link #compressor()} and its options). */
    public WriterOptions writerOptions(Compressor c) {
        WriterOptions.Builder b = WriterOptions.builder(c)
                .blockSize(blockSize)
                .pad(pad)
                .fragments(fragments)
                .deduplicate(deduplicate)
                .sparse(sparse)
                .hardLinks(hardLinks)
                .fileOffset(fileOffset)
                .exportTable(exportTable)
                .xattrs(xattrs)
                .uncompressed(uncompressed);
        processors.ifPresent(b::processors);
        mkfsTime.ifPresent(b::mkfsTime);
        return b.build();
    }

    /** Collects the settings; {@link #build()} checks the combinations mksquashfs refuses. */
    public static final class Builder {
        private final Path output;
        private final List<Path> sources = new ArrayList<>();
        private Optional<TarInput> tar = Optional.empty();
        private ImpliedDirectories impliedDirectories = ImpliedDirectories.DEFAULT;
        private boolean overwrite;
        private boolean keepAsDirectory;
        private CompressorId compressor = CompressorId.GZIP;
        private final List<String> compressorOptions = new ArrayList<>();
        private int blockSize = WriterOptions.DEFAULT_BLOCK_SIZE;
        private boolean pad = true;
        private FragmentPolicy fragments = FragmentPolicy.SMALL_FILES;
        private boolean deduplicate = true;
        private boolean sparse = true;
        private boolean hardLinks = true;
        private OneFileSystem oneFileSystem = OneFileSystem.CROSS;
        private Optional<SortFile> sortFile = Optional.empty();
        private long fileOffset;
        private boolean exportTable = true;
        private boolean xattrs = true;
        private XattrRules xattrRules = XattrRules.NONE;
        private boolean pseudoOverride;
        private OptionalInt maxDepth = OptionalInt.empty();
        private final Set<UncompressedPart> uncompressed = EnumSet.noneOf(UncompressedPart.class);
        private OptionalInt processors = OptionalInt.empty();
        private OptionalLong mkfsTime = OptionalLong.empty();
        private OptionalLong allTime = OptionalLong.empty();
        private OptionalLong sourceDateEpoch = OptionalLong.empty();
        private OptionalInt uid = OptionalInt.empty();
        private OptionalInt gid = OptionalInt.empty();
        private OptionalInt rootMode = OptionalInt.empty();
        private OptionalInt rootUid = OptionalInt.empty();
        private OptionalInt rootGid = OptionalInt.empty();
        private OptionalLong rootTime = OptionalLong.empty();
        private ExcludeStyle excludeStyle = ExcludeStyle.EXACT;
        private final List<String> excludes = new ArrayList<>();
        private final List<PseudoDefinition> pseudo = new ArrayList<>();
        private Path workingDirectory = Path.of("").toAbsolutePath();

        private Builder(Path output) {
            this.output = output;
        }

        public Builder sources(List<Path> v) {
            sources.clear();
            sources.addAll(v);
            return this;
        }

        public Builder tar(TarInput v) {
            tar = Optional.of(v);
            return this;
        }

        public Builder overwrite(boolean v) {
            overwrite = v;
            return this;
        }

        public Builder keepAsDirectory(boolean v) {
            keepAsDirectory = v;
            return this;
        }

        public Builder compressor(CompressorId v, List<String> options) {
            compressor = v;
            compressorOptions.clear();
            compressorOptions.addAll(options);
            return this;
        }

        public Builder blockSize(int v) {
            blockSize = v;
            return this;
        }

        public Builder pad(boolean v) {
            pad = v;
            return this;
        }

        public Builder fragments(FragmentPolicy v) {
            fragments = v;
            return this;
        }

        public Builder deduplicate(boolean v) {
            deduplicate = v;
            return this;
        }

        public Builder sparse(boolean v) {
            sparse = v;
            return this;
        }

        public Builder hardLinks(boolean v) {
            hardLinks = v;
            return this;
        }

        public Builder oneFileSystem(OneFileSystem v) {
            oneFileSystem = Objects.requireNonNull(v);
            return this;
        }

        public Builder sortFile(SortFile v) {
            sortFile = Optional.of(v);
            return this;
        }

        public Builder fileOffset(long v) {
            fileOffset = v;
            return this;
        }

        public Builder exportTable(boolean v) {
            exportTable = v;
            return this;
        }

        /** -max-depth. */
        public Builder maxDepth(int levels) {
            maxDepth = OptionalInt.of(levels);
            return this;
        }

        /** -pseudo-override. */
        public Builder pseudoOverride(boolean v) {
            pseudoOverride = v;
            return this;
        }

        /** -default-mode, -default-uid, -default-gid (for -tar). */
        public Builder impliedDirectories(ImpliedDirectories v) {
            impliedDirectories = Objects.requireNonNull(v);
            return this;
        }

        /** -xattrs-exclude, -xattrs-include, -xattrs-add. */
        public Builder xattrRules(XattrRules v) {
            xattrRules = Objects.requireNonNull(v);
            return this;
        }

        public Builder xattrs(boolean v) {
            xattrs = v;
            return this;
        }

        /** Stores this part of the image without compression. */
        public Builder uncompressed(UncompressedPart part) {
            uncompressed.add(part);
            return this;
        }

        public Builder processors(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("processors must be at least 1, got " + v);
            }
            processors = OptionalInt.of(v);
            return this;
        }

        public Builder mkfsTime(long v) {
            mkfsTime = OptionalLong.of(v);
            return this;
        }

        /** Every inode's time (-all-time). */
        public Builder allTime(long v) {
            allTime = OptionalLong.of(v);
            return this;
        }

        /** SOURCE_DATE_EPOCH: the superblock time, and the latest inode time (later ones are clamped). */
        public Builder sourceDateEpoch(long v) {
            sourceDateEpoch = OptionalLong.of(v);
            return this;
        }

        /** Every inode's uid (-all-root, -force-uid). */
        public Builder forceUid(int v) {
            uid = OptionalInt.of(v);
            return this;
        }

        /** Every inode's gid (-all-root, -force-gid). */
        public Builder forceGid(int v) {
            gid = OptionalInt.of(v);
            return this;
        }

        /** The root directory's permission bits (-root-mode). */
        public Builder rootMode(int v) {
            rootMode = OptionalInt.of(v);
            return this;
        }

        /** The root directory's owner (-root-uid). */
        public Builder rootUid(int v) {
            rootUid = OptionalInt.of(v);
            return this;
        }

        /** The root directory's group (-root-gid). */
        public Builder rootGid(int v) {
            rootGid = OptionalInt.of(v);
            return this;
        }

        /** The root directory's time (-root-time). */
        public Builder rootTime(long v) {
            rootTime = OptionalLong.of(v);
            return this;
        }

        public Builder excludes(ExcludeStyle style, List<String> v) {
            excludeStyle = style;
            excludes.clear();
            excludes.addAll(v);
            return this;
        }

        public Builder pseudo(List<PseudoDefinition> v) {
            pseudo.clear();
            pseudo.addAll(v);
            return this;
        }

        public Builder workingDirectory(Path v) {
            workingDirectory = v;
            return this;
        }

        public SquashfsImageRequest build() {
            if (sourceDateEpoch.isPresent() && (mkfsTime.isPresent() || allTime.isPresent())) {
                throw new IllegalArgumentException("SOURCE_DATE_EPOCH and -mkfs-time/-all-time cannot be used together"
                        + " (mksquashfs refuses this too): unset SOURCE_DATE_EPOCH or drop the option");
            }
            OptionalLong superblockTime = sourceDateEpoch.isPresent() ? sourceDateEpoch : mkfsTime;
            MetadataOverrides overrides = new MetadataOverrides(uid, gid, allTime, sourceDateEpoch);
            return new SquashfsImageRequest(sources, tar, impliedDirectories, output, overwrite, keepAsDirectory, compressor, compressorOptions,
                    blockSize, pad, fragments, deduplicate, sparse, hardLinks, oneFileSystem, sortFile, fileOffset, exportTable, xattrs, xattrRules, uncompressed, processors, superblockTime,
                    new RootOverrides(rootMode, rootUid, rootGid, rootTime), overrides, excludeStyle, excludes, pseudo,
                    pseudoOverride, maxDepth, workingDirectory);
        }
    }
}
