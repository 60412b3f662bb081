package dev.strata.cli.squashfs;

import dev.strata.cli.CliContext;
import dev.strata.cli.OneLine;
import dev.strata.cli.ParserSettings;
import dev.strata.cli.squashfs.MksquashfsArguments.PseudoSource;
import dev.strata.image.SquashfsImageCreator;
import dev.strata.image.SquashfsImageRequest;
import dev.strata.sources.EpochTime;
import dev.strata.sources.ImpliedDirectories;
import dev.strata.sources.SortFile;
import dev.strata.sources.XattrRules;
import dev.strata.sources.exclude.ExcludeFile;
import dev.strata.sources.exclude.ExcludeStyle;
import dev.strata.sources.pseudo.PseudoDefinition;
import dev.strata.sources.pseudo.PseudoParser;
import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.compress.Compressors;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.SymlinkNode;
import dev.strata.squashfs.write.FragmentPolicy;
import dev.strata.squashfs.write.UncompressedPart;
import dev.strata.squashfs.write.WriteResult;
import dev.strata.squashfs.write.WriterOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * strata squashfs create: mksquashfs's command line (single-dash options, sources then output, -e
 * last), so that build systems can call it in place of mksquashfs.
 */
@Command(name = "create", sortOptions = false, usageHelpAutoWidth = true, separator = " ",
        versionProvider = dev.strata.cli.VersionProvider.class,
        customSynopsis = "strata squashfs create SOURCE... OUTPUT [OPTIONS] [-e EXCLUDE...]",
        description = {
            "Writes a SquashFS 4.0 image of the SOURCEs to OUTPUT, taking mksquashfs's options.",
            "A single source directory's contents become the root; several sources (or a file) become"
                    + " entries of the root named after their last path component. '-' as the only source"
                    + " means none: the tree comes from pseudo definitions.",
            "Strata never appends to an image: an existing OUTPUT is an error unless -noappend is given."},
        footer = {"",
            "SOURCE_DATE_EPOCH, when set, is the image's time and the latest time of any inode (later times are"
                    + " clamped to it), as in mksquashfs; it cannot be combined with -mkfs-time or -all-time.",
            "Compressor options (-Xcompression-level N, -Xbcj x86, -Xdict-size 100%%, -Xhc, ...) are passed to the"
                    + " compressor chosen with -comp.",
            "Exit status: 0 image written, 1 failure, 2 bad command line."})
public final class CreateCommand implements Callable<Integer>, ParserSettings {
    @ParentCommand
    SquashfsCommand squashfs;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SOURCE... OUTPUT", hideParamSyntax = true,
            description = "Sources, then the image file.",
            parameterConsumer = MksquashfsArguments.Positional.class)
    final List<String> positional = new ArrayList<>();

    // Filled by the option setters and consumers below, in command-line order (the last one wins,
    // as in mksquashfs).
    final List<String> compressorOptions = new ArrayList<>();
    final List<PseudoSource> pseudo = new ArrayList<>();
    String uid;
    String gid;
    boolean xattrs = true;
    boolean exports = true;
    boolean tailEnds;
    boolean noFragments;

    @Option(order = 10, names = "-comp", paramLabel = "COMP",
            description = "Compressor: gzip (default), xz, zstd, lz4, lzo.")
    String compressor;

    @Option(order = 20, names = "-b", paramLabel = "SIZE",
            description = "Block size, a power of two from 4K to 1M (default 128K); K and M suffixes allowed.")
    String blockSize;

    @Option(order = 30, names = "-noappend", description = "Replace OUTPUT if it exists (Strata never appends).")
    boolean noAppend;

    @Option(order = 40, names = "-nopad", description = "Do not pad the image to a multiple of 4K.")
    boolean noPad;

    @Option(order = 50, names = {"-all-root", "-root-owned"},
            description = "Make every file owned by root (uid and gid 0).")
    void allRoot(boolean on) {
        uid = "0";
        gid = "0";
    }

    @Option(order = 60, names = "-force-uid", paramLabel = "UID",
            description = "Make every file owned by UID (number or name).")
    void forceUid(String value) {
        uid = value;
    }

    @Option(order = 70, names = "-force-gid", paramLabel = "GID",
            description = "Make every file's group GID (number or name).")
    void forceGid(String value) {
        gid = value;
    }

    @Option(order = 75, names = "-pseudo-override",
            description = "Owners given by pseudo definitions beat -all-root, -force-uid and -force-gid (mksquashfs 4.6).")
    boolean pseudoOverride;

    @Option(order = 80, names = "-no-xattrs", description = "Do not store extended attributes.")
    void noXattrs(boolean on) {
        if (xattrsExclude != null || xattrsInclude != null || !xattrAdditions.isEmpty()) {
            throw usage("-no-xattrs after -xattrs-exclude, -xattrs-include or -xattrs-add contradicts them"
                    + " (mksquashfs 4.6 refuses it too); leave one out");
        }
        xattrs = false;
    }

    @Option(order = 90, names = "-xattrs", description = "Store extended attributes (default).")
    void xattrs(boolean on) {
        xattrs = true;
    }

    @Option(order = 91, names = "-xattrs-exclude", paramLabel = "REGEX",
            description = "Leave out the sources' xattrs whose names match REGEX (a POSIX extended regular expression,"
                    + " matched anywhere in the name: -xattrs-exclude '^trusted\\.overlay\\.').")
    void xattrsExclude(String regex) {
        xattrsExclude = regex;
        xattrs = true; // as in mksquashfs 4.6, the -xattrs-* options turn xattrs on
    }

    @Option(order = 92, names = "-xattrs-include", paramLabel = "REGEX",
            description = "Keep only the sources' xattrs whose names match REGEX.")
    void xattrsInclude(String regex) {
        xattrsInclude = regex;
        xattrs = true;
    }

    String xattrsExclude;
    String xattrsInclude;

    @Option(order = 93, names = "-xattrs-add", paramLabel = "NAME=VALUE",
            description = "Add this xattr to every entry (user.* ones to regular files and directories only); VALUE"
                    + " as in pseudo x definitions (0s base64, 0x hex, 0t text with \\ooo escapes). Repeatable.")
    void xattrsAdd(String value) {
        xattrAdditions.add(value);
        xattrs = true;
    }

    final List<String> xattrAdditions = new ArrayList<>();

    @Option(order = 100, names = "-no-fragments", description = "Do not pack small files into fragments.")
    void noFragments(boolean on) {
        noFragments = true;
    }

    @Option(order = 110, names = {"-always-use-fragments", "-tailends"},
            description = "Also pack the tail ends of larger files into fragments.")
    void tailEnds(boolean on) {
        tailEnds = true;
    }

    @Option(order = 120, names = "-no-tailends",
            description = "Pack only files smaller than a block into fragments (default).")
    void noTailEnds(boolean on) {
        tailEnds = false;
    }

    @Option(order = 130, names = "-no-duplicates", description = "Do not store identical files only once.")
    boolean noDuplicates;

    @Option(order = 132, names = "-no-sparse",
            description = "Store all-zero blocks as data instead of leaving them out (sparse).")
    boolean noSparse;

    @Option(order = 134, names = "-no-hardlinks",
            description = "Give every name of a hard-linked file its own inode (the data is still stored once).")
    boolean noHardLinks;

    @Option(order = 140, names = "-no-exports", description = "Do not write the NFS export table.")
    void noExports(boolean on) {
        exports = false;
    }

    @Option(order = 150, names = "-exports", description = "Write the NFS export table (default).")
    void exports(boolean on) {
        exports = true;
    }

    @Option(order = 152, names = {"-noI", "-noInodeCompression"},
            description = "Store the inode, directory, export and id tables uncompressed.")
    void noInodeCompression(boolean on) {
        uncompressed.add(UncompressedPart.INODES);
    }

    @Option(order = 153, names = {"-noId", "-noIdTableCompression"}, description = "Store the uid/gid table uncompressed.")
    void noIdCompression(boolean on) {
        uncompressed.add(UncompressedPart.IDS);
    }

    @Option(order = 154, names = {"-noD", "-noDataCompression"}, description = "Store file data blocks uncompressed.")
    void noDataCompression(boolean on) {
        uncompressed.add(UncompressedPart.DATA);
    }

    @Option(order = 155, names = {"-noF", "-noFragmentCompression"}, description = "Store fragment blocks uncompressed.")
    void noFragmentCompression(boolean on) {
        uncompressed.add(UncompressedPart.FRAGMENTS);
    }

    @Option(order = 156, names = {"-noX", "-noXattrCompression"},
            description = "Store the extended attribute tables uncompressed.")
    void noXattrCompression(boolean on) {
        uncompressed.add(UncompressedPart.XATTRS);
    }

    @Option(order = 157, names = "-no-compression",
            description = "Compress nothing (all of -noI -noD -noF -noX; mksquashfs 4.6).")
    void noCompression(boolean on) {
        uncompressed.addAll(EnumSet.allOf(UncompressedPart.class));
    }

    private final Set<UncompressedPart> uncompressed = EnumSet.noneOf(UncompressedPart.class);

    @Option(order = 160, names = "-processors", paramLabel = "N",
            description = "Compress with N threads (the image does not depend on it).")
    Integer processors;

    @Option(order = 170, names = {"-mkfs-time", "-fstime"}, paramLabel = "TIME",
            description = "The image's time: seconds since the epoch or a date.")
    String mkfsTime;

    @Option(order = 180, names = {"-all-time", "-inode-time"}, paramLabel = "TIME",
            description = "Every inode's time: seconds since the epoch or a date.")
    String allTime;

    @Option(order = 185, names = "-fixed-time", paramLabel = "TIME",
            description = "OpenWrt's mksquashfs: the image's and every inode's time (-mkfs-time and -all-time).")
    String fixedTime;

    @Option(order = 186, names = "-root-mode", paramLabel = "MODE",
            description = "The root directory's permissions, an octal mode up to 7777.")
    String rootMode;

    @Option(order = 196, names = "-default-mode", paramLabel = "MODE",
            description = "The mode (octal) of the directories a -tar archive implies without entries of their own"
                    + " (default 755), and of the root directory, as -root-mode (mksquashfs 4.6).")
    void defaultMode(String mode) {
        defaultMode = mode;
        rootMode = mode;
    }

    @Option(order = 197, names = "-default-uid", paramLabel = "UID",
            description = "The owner of those directories (default 0, where mksquashfs gives the running user) and of"
                    + " the root directory, as -root-uid (mksquashfs 4.6).")
    void defaultUid(String uid) {
        defaultUid = uid;
        rootUid = uid;
    }

    @Option(order = 198, names = "-default-gid", paramLabel = "GID",
            description = "Their group (default 0) and the root directory's, as -root-gid (mksquashfs 4.6).")
    void defaultGid(String gid) {
        defaultGid = gid;
        rootGid = gid;
    }

    String defaultMode;
    String defaultUid;
    String defaultGid;

    @Option(order = 187, names = "-root-uid", paramLabel = "UID", description = "The root directory's owner (number or name).")
    String rootUid;

    @Option(order = 188, names = "-root-gid", paramLabel = "GID", description = "The root directory's group (number or name).")
    String rootGid;

    @Option(order = 189, names = "-root-time", paramLabel = "TIME", description = "The root directory's time.")
    String rootTime;

    @Option(order = 190, names = "-keep-as-directory",
            description = "With one source directory, make it an entry of the root instead of the root.")
    boolean keepAsDirectory;

    @Option(order = 191, names = {"-offset", "-o"}, paramLabel = "SIZE",
            description = "Start the image SIZE bytes into OUTPUT (K, M, G suffixes), zeros before it; read it with"
                    + " unsquashfs -o or strata squashfs ... --offset.")
    String offset;

    @Option(order = 192, names = "-sort", paramLabel = "FILE",
            description = "Write file data in the priority order of FILE: lines of PATH PRIORITY (-32768 to"
                    + " 32767, highest first; a directory's applies below it), PATH in a source as in mksquashfs.")
    Path sortFile;

    @Option(order = 193, names = "-one-file-system",
            description = "Do not read what is mounted inside a source directory: a mount point becomes an empty"
                    + " directory, as in mksquashfs 4.6 (the sources themselves are read wherever they are).")
    void oneFileSystem(boolean on) {
        oneFileSystem = SquashfsImageRequest.OneFileSystem.EMPTY_MOUNT_POINTS;
    }

    @Option(order = 194, names = "-max-depth", paramLabel = "LEVELS",
            description = "Read the source directories LEVELS deep at most (the root's entries are at 1; the"
                    + " directories at that depth stay, empty), as mksquashfs 4.7 does (4.6 takes the option but"
                    + " ignores it).")
    Integer maxDepth;

    @Option(order = 193, names = "-one-file-system-x",
            description = "Likewise, but mount points are left out too (mksquashfs 4.6; 4.5's -one-file-system).")
    void oneFileSystemX(boolean on) {
        oneFileSystem = SquashfsImageRequest.OneFileSystem.LEAVE_OUT;
    }

    SquashfsImageRequest.OneFileSystem oneFileSystem = SquashfsImageRequest.OneFileSystem.CROSS;

    @Option(order = 195, names = "-tar",
            description = "Read the tree from a tar archive on standard input (uncompressed, or gzip, xz, bzip2 or"
                    + " zstd compressed); the only source is '-'."
                    + " Owners are the archive's numbers; a leading '/' or '../' is dropped, as mksquashfs does.")
    boolean tar;

    @Option(order = 200, names = "-p", paramLabel = "DEFINITION",
            parameterConsumer = MksquashfsArguments.PseudoDefinitionArgument.class,
            description = "Add a pseudo definition ('/dev/console c 600 0 0 5 1').")
    List<String> pseudoDefinitions; // declared for parsing and help; the consumer fills pseudo

    @Option(order = 210, names = "-pf", paramLabel = "FILE",
            parameterConsumer = MksquashfsArguments.PseudoFileArgument.class,
            description = "Add the pseudo definitions of FILE ('-' for standard input).")
    List<String> pseudoFiles; // declared for parsing and help; the consumer fills pseudo

    @Option(order = 220, names = "-ef", paramLabel = "FILE",
            description = "Exclude the files listed in FILE, one per line.")
    List<Path> excludeFiles = new ArrayList<>();

    @Option(order = 230, names = "-wildcards", description = "Excludes are shell wildcards (with extended patterns).")
    boolean wildcards;

    @Option(order = 240, names = "-regex", description = "Excludes are regular expressions, one per path component.")
    boolean regex;

    @Option(order = 250, names = "-quiet", description = "Print nothing but errors and warnings.")
    boolean quiet;

    @Option(order = 260, names = "-info", description = "List the files of the image before it is written.")
    boolean info;

    @Option(order = 270, names = {"-progress", "-no-progress"},
            description = "Accepted for mksquashfs compatibility; Strata shows no progress bar.")
    boolean progress;

    @Option(order = 275, names = {"-small-readers", "-block-readers"}, paramLabel = "N",
            description = "Accepted for mksquashfs 4.6 compatibility; Strata reads sources on one thread and"
                    + " compresses on -processors threads.")
    void readerThreads(int count) {
        if (count < 1) {
            throw usage("-small-readers/-block-readers " + count + ": must be at least 1");
        }
    }

    @Option(order = 276, names = "-single-reader", description = "Accepted for mksquashfs 4.6 compatibility.")
    boolean singleReader;

    @Option(order = 278, names = "-mem-percent", paramLabel = "PERCENT",
            description = "Accepted for mksquashfs 4.6 compatibility; Strata's memory stays bounded by itself.")
    String memoryPercent;

    @Option(order = 279, names = "-percentage",
            description = "Accepted for mksquashfs 4.6 compatibility; Strata draws no progress bar.")
    boolean percentage;

    @Option(order = 277, names = {"-mem", "-throttle", "-limit"}, paramLabel = "N",
            description = "Accepted for mksquashfs compatibility; Strata's memory stays bounded by itself (a few"
                    + " hundred MB at most) and it reads as fast as it compresses.")
    String resourceLimit;

    @Option(order = 280, names = {"-reproducible", "-not-reproducible"},
            description = "Accepted for mksquashfs compatibility; Strata's images are always reproducible.")
    boolean reproducible;

    @Option(order = 290, names = {"-no-recovery", "-exit-on-error"},
            description = "Accepted for mksquashfs compatibility (Strata never appends, and stops at the first error).")
    boolean compatibilityNoOp;

    @Option(order = 300, names = "-e", paramLabel = "EXCLUDE", arity = "1..*",
            parameterConsumer = MksquashfsArguments.RestAreExcludes.class,
            description = "Exclude these files; takes every argument after it, so it comes last.")
    List<String> excludes = new ArrayList<>();

    @Option(order = 310, names = {"-h", "-help", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(order = 311, names = {"-version", "--version"}, versionHelp = true,
            description = "Print Strata's version and exit (as mksquashfs -version prints its own).")
    boolean version;

    @Override
    public void configure(CommandLine commandLine) {
        commandLine.setUnmatchedOptionsArePositionalParams(true); // -X options and unknown-option errors
        commandLine.setPosixClusteredShortOptionsAllowed(false); // "-bogus" must not read as "-b ogus"
        commandLine.setOverwrittenOptionsAllowed(true); // as in mksquashfs, a repeated option's last value wins
    }

    @Override
    public Integer call() throws IOException {
        CliContext context = squashfs.context();
        SquashfsImageRequest request = request(context);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SquashfsImageCreator creator = new SquashfsImageCreator(context.clock(), new SquashfsImageCreator.Listener() {
            @Override
            public void warning(String message) {
                err.println("strata: warning: " + OneLine.of(message));
            }

            @Override
            public void entry(String path, Node node) {
                if (info) {
                    out.println(describe(path, node));
                }
            }
        });
        SquashfsImageCreator.Created created = creator.create(request);
        if (!quiet) {
            printSummary(out, positional.get(positional.size() - 1), created);
        }
        out.flush();
        err.flush();
        return 0;
    }

    /** The request this command line describes; reads -ef and -pf files. */
    SquashfsImageRequest request(CliContext context) throws IOException {
        if (positional.size() < 2) {
            throw usage(positional.isEmpty() ? "missing SOURCE and OUTPUT" : "missing OUTPUT after the sources");
        }
        List<String> sourceArgs = positional.subList(0, positional.size() - 1);
        if (tar && !sourceArgs.equals(List.of("-"))) {
            throw usage("with -tar the only source is '-' (the archive comes on standard input), as in mksquashfs");
        }
        if (tar && pseudo.stream().anyMatch(p -> p.file() && p.value().equals("-"))) {
            throw usage("-tar and -pf - both read standard input; give the pseudo file by name");
        }
        List<Path> sources = new ArrayList<>();
        if (!(sourceArgs.size() == 1 && sourceArgs.get(0).equals("-"))) {
            for (String s : sourceArgs) {
                if (s.equals("-")) {
                    throw usage("'-' (no sources) must be the only source");
                }
                sources.add(Path.of(s));
            }
        }
        Path output = Path.of(positional.get(positional.size() - 1));
        SquashfsImageRequest.Builder b = SquashfsImageRequest.builder(output);
        if (tar) {
            b.tar(new SquashfsImageRequest.TarInput("<stdin>", context.stdin()));
        }
        b.sources(sources)
                .overwrite(noAppend)
                .keepAsDirectory(keepAsDirectory)
                .pad(!noPad)
                .deduplicate(!noDuplicates)
                .sparse(!noSparse)
                .hardLinks(!noHardLinks)
                .oneFileSystem(oneFileSystem)
                .exportTable(exports)
                .xattrs(xattrs)
                .xattrRules(xattrRules())
                .pseudoOverride(pseudoOverride)
                .fragments(noFragments ? FragmentPolicy.NONE
                        : tailEnds ? FragmentPolicy.TAIL_ENDS : FragmentPolicy.SMALL_FILES);
        try {
            b.compressor(compressor == null ? CompressorId.GZIP : CompressorId.fromName(compressor), compressorOptions);
        } catch (IllegalArgumentException e) {
            throw usage("-comp: " + e.getMessage());
        }
        int bytes = blockSize == null ? WriterOptions.DEFAULT_BLOCK_SIZE : blockSize(blockSize);
        b.blockSize(bytes);
        if (compressor == null && !compressorOptions.isEmpty()) {
            // mksquashfs gives -X options without -comp to gzip, and hints at -comp when gzip refuses them
            try {
                Compressors.create(CompressorId.GZIP, compressorOptions, bytes);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage() + " (the default compressor is gzip; did you forget -comp?)");
            }
        }
        uncompressed.forEach(b::uncompressed);
        if (maxDepth != null) {
            if (maxDepth < 0) {
                throw usage("-max-depth " + maxDepth + ": must be 0 or more");
            }
            if (tar) {
                throw usage("-max-depth does not apply to a tar archive (-tar), as in mksquashfs");
            }
            b.maxDepth(maxDepth);
        }
        if (memoryPercent != null && (!memoryPercent.matches("0*[1-9][0-9]{0,8}%?"))) {
            throw usage("-mem-percent '" + memoryPercent + "': expected a percentage, 1 to 75, as mksquashfs takes it");
        }
        if (processors != null) {
            if (processors < 1) {
                throw usage("-processors " + processors + ": must be at least 1");
            }
            b.processors(processors);
        }
        if (fixedTime != null) {
            long t = time("-fixed-time", fixedTime);
            b.mkfsTime(t);
            b.allTime(t);
        }
        rootOverrides(context, b);
        if (mkfsTime != null) {
            b.mkfsTime(time("-mkfs-time", mkfsTime));
        }
        if (allTime != null) {
            b.allTime(time("-all-time", allTime));
        }
        String epoch = context.environment().get("SOURCE_DATE_EPOCH");
        if (epoch != null) {
            try {
                b.sourceDateEpoch(EpochTime.parseSeconds(epoch.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("SOURCE_DATE_EPOCH: " + e.getMessage());
            }
        }
        if (uid != null) {
            b.forceUid(account("-force-uid", uid, context.accounts()::uid));
        }
        if (gid != null) {
            b.forceGid(account("-force-gid", gid, context.accounts()::gid));
        }
        if (wildcards && regex) {
            throw usage("-wildcards and -regex cannot be used together");
        }
        List<String> allExcludes = new ArrayList<>();
        for (Path file : excludeFiles) {
            allExcludes.addAll(ExcludeFile.read(file));
        }
        allExcludes.addAll(excludes);
        b.excludes(wildcards ? ExcludeStyle.WILDCARDS : regex ? ExcludeStyle.REGEX : ExcludeStyle.EXACT, allExcludes);
        b.pseudo(pseudoDefinitions(context));
        if (sortFile != null) {
            b.sortFile(SortFile.read(sortFile));
        }
        if (offset != null) {
            try {
                b.fileOffset(SizeParser.parse(offset));
            } catch (IllegalArgumentException e) {
                throw usage("-offset: " + e.getMessage());
            }
        }
        return b.build();
    }

    private List<PseudoDefinition> pseudoDefinitions(CliContext context) throws IOException {
        PseudoParser parser = new PseudoParser(context.accounts());
        List<PseudoDefinition> definitions = new ArrayList<>();
        for (PseudoSource source : pseudo) {
            if (!source.file()) {
                definitions.add(parser.parseOption(source.value()));
            } else if (source.value().equals("-")) {
                definitions.addAll(parser.parse(context.stdin().readAllBytes(), "<stdin>"));
            } else {
                definitions.addAll(parser.parseFile(Path.of(source.value())));
            }
        }
        return definitions;
    }

    private int blockSize(String value) {
        String problem = "-b " + value + ": block size must be a power of two from 4K to 1M"
                + " (4K, 8K, 16K, 32K, 64K, 128K, 256K, 512K or 1M)";
        long bytes;
        try {
            bytes = SizeParser.parse(value);
        } catch (IllegalArgumentException e) {
            throw usage(problem);
        }
        if (bytes < WriterOptions.MIN_BLOCK_SIZE || bytes > WriterOptions.MAX_BLOCK_SIZE || Long.bitCount(bytes) != 1) {
            throw usage(problem);
        }
        return (int) bytes;
    }

    /** A user or group id from a number or a name of the build host; a bad one is a usage error naming the option. */
    private int account(String option, String value, ToIntFunction<String> lookup) {
        try {
            return lookup.applyAsInt(value);
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    private long time(String option, String value) {
        try {
            return EpochTime.parse(value);
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    private void rootOverrides(CliContext context, SquashfsImageRequest.Builder b) {
        if (rootMode != null) {
            b.rootMode(mode(rootMode.equals(defaultMode) ? "-default-mode" : "-root-mode", rootMode));
        }
        if (defaultMode != null || defaultUid != null || defaultGid != null) {
            ImpliedDirectories d = ImpliedDirectories.DEFAULT;
            b.impliedDirectories(new ImpliedDirectories(
                    defaultMode == null ? d.permissions() : mode("-default-mode", defaultMode),
                    defaultUid == null ? d.uid() : account("-default-uid", defaultUid, context.accounts()::uid),
                    defaultGid == null ? d.gid() : account("-default-gid", defaultGid, context.accounts()::gid)));
        }
        if (rootUid != null) {
            b.rootUid(account("-root-uid", rootUid, context.accounts()::uid));
        }
        if (rootGid != null) {
            b.rootGid(account("-root-gid", rootGid, context.accounts()::gid));
        }
        if (rootTime != null) {
            b.rootTime(time("-root-time", rootTime));
        }
    }

    private int mode(String option, String mode) {
        if (!mode.matches("[0-7]{1,4}")) {
            throw usage(option + " '" + mode + "': expected an octal mode up to 7777, like 755");
        }
        return Integer.parseInt(mode, 8);
    }

    /** -xattrs-exclude, -xattrs-include and -xattrs-add, checked. */
    private XattrRules xattrRules() {
        java.util.SortedMap<String, byte[]> added = new java.util.TreeMap<>();
        for (String argument : xattrAdditions) {
            Map.Entry<String, byte[]> x;
            try {
                x = XattrRules.parseAddition(argument);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            if (added.put(x.getKey(), x.getValue()) != null) {
                throw usage("-xattrs-add gives xattr " + x.getKey() + " twice; give each name once");
            }
        }
        return new XattrRules(xattrRegex("-xattrs-exclude", xattrsExclude), xattrRegex("-xattrs-include", xattrsInclude),
                added);
    }

    private Optional<Pattern> xattrRegex(String option, String regex) {
        if (regex == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(XattrRules.posixRegex(regex));
        } catch (java.util.regex.PatternSyntaxException e) {
            throw usage(option + " " + regex + ": not a valid regular expression (" + e.getDescription() + ")");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static void printSummary(PrintWriter out, String outputArg, SquashfsImageCreator.Created created) {
        WriteResult r = created.result();
        out.printf(Locale.ROOT, "%s: %d bytes (%s), %d inodes, %s, block size %s%n", outputArg, r.imageSize(),
                humanSize(r.imageSize()), r.inodes(), created.compressor().describe(),
                humanSize(created.options().blockSize()));
        out.println("Look inside: unsquashfs -lls " + shellQuote(outputArg));
    }

    static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"K", "M", "G", "T"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%d%s", (long) v, units[u])
                : String.format(Locale.ROOT, "%.1f%s", v, units[u]);
    }

    private static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./:=+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private static String describe(String path, Node node) {
        if (node instanceof FileNode f) {
            return "file " + path + ", " + f.content().size() + " bytes";
        }
        if (node instanceof SymlinkNode s) {
            return "symlink " + path + " -> " + s.targetString();
        }
        if (node instanceof DeviceNode d) {
            return (d.type() == dev.strata.squashfs.tree.NodeType.BLOCK_DEVICE ? "block device " : "char device ")
                    + path + " " + d.major() + ":" + d.minor();
        }
        return node.type().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + path;
    }
}
