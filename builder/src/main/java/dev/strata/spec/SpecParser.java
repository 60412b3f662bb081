package dev.strata.spec;

import dev.strata.overlay.config.BootStyle;
import dev.strata.overlay.config.DataFilesystem;
import dev.strata.overlay.config.DataVolume;
import dev.strata.overlay.config.LowerSource;
import dev.strata.overlay.config.OverlayConfig;
import dev.strata.overlay.config.OverlayConfigException;
import dev.strata.overlay.config.OverlayMode;
import dev.strata.overlay.config.ResetTrigger;
import dev.strata.overlay.initramfs.InitramfsCompression;
import dev.strata.squashfs.compress.CompressorId;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a spec file into a {@link Spec}. Every problem is one {@link SpecException} naming
 * {@code file:line:column}: YAML syntax, unknown keys (with the closest known key), wrong types,
 * host files that do not exist.
 */
public final class SpecParser {
    static final List<String> TOP_KEYS = List.of("name", "version", "profile", "source-date-epoch", "timestamps",
            "output", "release", "sources", "ownership", "squashfs", "overlay", "initramfs", "image");
    private static final List<String> KIND_KEYS = List.of("dir", "tar", "ipk", "deb", "file", "mkdir", "symlink",
            "remove", "makedevs", "gen_init_cpio", "gensquashfs", "pseudo");
    private static final List<String> OWNER_KEYS = List.of("owner", "group");

    private final String file;
    private final Path baseDirectory;

    private SpecParser(String file, Path baseDirectory) {
        this.file = file;
        this.baseDirectory = baseDirectory;
    }

    /** Parses the spec at path; the name used in messages is path as given. */
    public static Spec parse(Path path) throws SpecException {
        String display = path.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new SpecException(new SpecLocation(display, 1, 1), "spec file does not exist");
        } catch (IOException e) {
            throw new SpecException(new SpecLocation(display, 1, 1), "cannot read the spec file: " + e.getMessage());
        }
        Path base = path.toAbsolutePath().normalize().getParent();
        return new SpecParser(display, base).parse(path, bytes);
    }

    private Spec parse(Path path, byte[] bytes) throws SpecException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SpecException(new SpecLocation(file, 1, 1), "the spec is not UTF-8 text");
        }
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file).setAllowDuplicateKeys(false)
                    .setMaxAliasesForCollections(50).build();
            root = new Compose(settings).composeString(text).orElse(null);
        } catch (MarkedYamlEngineException e) {
            SpecLocation at = e.getProblemMark().map(m -> YamlValue.at(m, file)).orElse(new SpecLocation(file, 1, 1));
            throw new SpecException(at, "YAML syntax: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new SpecException(new SpecLocation(file, 1, 1), "YAML syntax: " + e.getMessage());
        }
        if (root == null) {
            throw new SpecException(new SpecLocation(file, 1, 1), "the spec is empty; it needs at least name, version"
                    + " and sources");
        }
        YamlMap top = new YamlValue(root, file, "the spec").asMap();
        top.allowOnly(TOP_KEYS);

        String name = top.require("name").asNonEmptyString();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._+-]*")) {
            throw top.require("name").error("name '" + name + "' may hold only letters, digits, '.', '_', '+' and '-'"
                    + " (it is used in file names)");
        }
        String version = top.require("version").asNonEmptyString();
        Optional<String> profile = optionalString(top, "profile");
        ProfileSection profileSection = ProfileSection.read(top, name, version, baseDirectory);
        OptionalLong epoch = OptionalLong.empty();
        if (top.has("source-date-epoch")) {
            epoch = OptionalLong.of(top.require("source-date-epoch").asLong(0, 0xFFFF_FFFFL));
        }
        TimePolicy timestamps = TimePolicy.FIXED;
        if (top.has("timestamps")) {
            timestamps = top.require("timestamps").asChoice(List.of("fixed", "clamp")).equals("fixed")
                    ? TimePolicy.FIXED : TimePolicy.CLAMP;
        }
        Optional<Path> output = optionalString(top, "output").map(baseDirectory::resolve);
        Optional<String> release = Optional.of(Spec.DEFAULT_RELEASE_FILE);
        if (top.has("release")) {
            YamlValue r = top.require("release");
            release = r.asString().equals("false") ? Optional.empty() : Optional.of(imagePath(r));
        }
        List<SourceSpec> sources = new ArrayList<>();
        List<YamlValue> items = top.require("sources").asList();
        if (items.isEmpty()) {
            throw top.require("sources").error("'sources' is empty: list at least one source");
        }
        OwnershipSpec ownership = top.has("ownership") ? ownership(top.require("ownership"))
                : OwnershipSpec.rootOwned();
        for (YamlValue item : items) {
            sources.add(source(item, ownership.keepArchiveOwners()));
        }
        SquashfsSpec squashfs = top.has("squashfs") ? squashfs(top.require("squashfs"), profileSection)
                : profileSection.squashfsDefaults(top.location());
        Optional<OverlayConfig> overlay = top.has("overlay")
                ? Optional.of(overlay(top.require("overlay"), profileSection))
                : Optional.empty();
        Optional<InitramfsSpec> initramfs = top.has("initramfs") ? Optional.of(initramfs(top.require("initramfs")))
                : Optional.empty();
        if (initramfs.isPresent() && overlay.isEmpty()) {
            throw new SpecException(top.keyLocation("initramfs"), "initramfs: its /init builds the overlay, but the"
                    + " spec has no overlay section: add one (style: initramfs, or in-root for a modular kernel)");
        }
        if (initramfs.isEmpty() && overlay.isPresent() && overlay.get().style() == BootStyle.INITRAMFS) {
            throw new SpecException(top.keyLocation("overlay"), "overlay: style initramfs needs an initramfs section"
                    + " naming a static busybox (initramfs: {busybox: PATH}); the device cannot boot without it");
        }
        return new Spec(path, file, sha256(bytes), name, version, profile, epoch, timestamps, output, release,
                List.copyOf(sources), ownership, squashfs, overlay, initramfs, profileSection.image());
    }

    // ---- sources

    private SourceSpec source(YamlValue item, boolean keepArchiveOwners) throws SpecException {
        YamlMap m = item.asMap();
        List<String> kinds = new ArrayList<>();
        for (String k : m.keys()) {
            if (KIND_KEYS.contains(k)) {
                kinds.add(k);
            }
        }
        if (kinds.isEmpty()) {
            for (String k : m.keys()) {
                String hint = Suggestions.didYouMean(k, KIND_KEYS);
                if (!hint.isEmpty()) {
                    throw new SpecException(m.keyLocation(k), "unknown source kind '" + k + "'" + hint);
                }
            }
            throw new SpecException(m.location(), item.what() + " names no source kind; start it with one of: "
                    + String.join(", ", KIND_KEYS));
        }
        if (kinds.size() > 1) {
            throw new SpecException(m.keyLocation(kinds.get(1)), item.what() + " has both '" + kinds.get(0)
                    + "' and '" + kinds.get(1) + "': write one source per list item");
        }
        String kind = kinds.get(0);
        YamlValue value = m.require(kind);
        SpecLocation at = m.keyLocation(kind);
        switch (kind) {
            case "dir" -> {
                m.allowOnly(List.of(kind, "to", "keep-owners", "exclude"));
                SpecPath p = hostPath(value);
                if (!Files.isDirectory(p.path())) {
                    throw value.error(missingOrWrong(p, "a directory"));
                }
                return new SourceSpec.Directory(at, p, destination(m), bool(m, "keep-owners", false), globs(m, "exclude"));
            }
            case "tar" -> {
                m.allowOnly(List.of(kind, "to", "keep-owners", "strip-components", "exclude"));
                SpecPath p = hostPath(value);
                if (!Files.isRegularFile(p.path())) {
                    throw value.error(missingOrWrong(p, "a tar archive"));
                }
                int strip = m.has("strip-components") ? (int) m.require("strip-components").asLong(0, 64) : 0;
                return new SourceSpec.Tar(at, p, destination(m), bool(m, "keep-owners", keepArchiveOwners), strip,
                        globs(m, "exclude"));
            }
            case "ipk", "deb" -> {
                m.allowOnly(List.of(kind, "keep-owners", "register"));
                PackageFormat format = kind.equals("ipk") ? PackageFormat.IPK : PackageFormat.DEB;
                List<SpecPath> paths = new ArrayList<>();
                for (YamlValue v : value.asScalarOrList()) {
                    paths.addAll(packagePaths(v, format));
                }
                return new SourceSpec.Package(at, format, List.copyOf(paths), bool(m, "keep-owners", keepArchiveOwners),
                        bool(m, "register", true));
            }
            case "file" -> {
                m.allowOnly(List.of(kind, "content", "from", "mode", "owner", "group"));
                String path = imagePath(value);
                Optional<String> content = m.get("content").isPresent()
                        ? Optional.of(m.require("content").asString()) : Optional.empty();
                Optional<SpecPath> from = Optional.empty();
                if (m.has("from")) {
                    SpecPath p = hostPath(m.require("from"));
                    if (!Files.isRegularFile(p.path())) {
                        throw m.require("from").error(missingOrWrong(p, "a regular file"));
                    }
                    from = Optional.of(p);
                }
                if (content.isPresent() == from.isPresent()) {
                    throw new SpecException(at, "file " + path + " needs exactly one of 'content' (text) or 'from'"
                            + " (a host file)");
                }
                return new SourceSpec.InlineFile(at, path, content, from, mode(m), owner(m));
            }
            case "mkdir" -> {
                m.allowOnly(List.of(kind, "mode", "owner", "group"));
                return new SourceSpec.InlineDirectory(at, imagePath(value), mode(m), owner(m));
            }
            case "symlink" -> {
                m.allowOnly(List.of(kind, "target", "owner", "group"));
                String target = m.require("target").asNonEmptyString();
                return new SourceSpec.InlineSymlink(at, imagePath(value), target, owner(m));
            }
            case "remove" -> {
                m.allowOnly(List.of(kind));
                List<PathGlob> patterns = new ArrayList<>();
                for (YamlValue v : value.asScalarOrList()) {
                    patterns.add(glob(v));
                }
                return new SourceSpec.Removal(at, List.copyOf(patterns));
            }
            default -> {
                m.allowOnly(List.of(kind, "base"));
                TableFormat format = switch (kind) {
                    case "makedevs" -> TableFormat.MAKEDEVS;
                    case "gen_init_cpio" -> TableFormat.GEN_INIT_CPIO;
                    case "gensquashfs" -> TableFormat.GENSQUASHFS;
                    default -> TableFormat.PSEUDO;
                };
                Path base = baseDirectory;
                if (m.has("base")) {
                    SpecPath b = hostPath(m.require("base"));
                    if (!Files.isDirectory(b.path())) {
                        throw m.require("base").error(missingOrWrong(b, "a directory"));
                    }
                    base = b.path();
                }
                if (value.isList()) {
                    List<SourceSpec.InlineLine> lines = new ArrayList<>();
                    for (YamlValue v : value.asList()) {
                        lines.add(new SourceSpec.InlineLine(v.asString(), v.location()));
                    }
                    return new SourceSpec.DeviceTable(at, format, Optional.empty(), List.copyOf(lines), base);
                }
                SpecPath p = hostPath(value);
                if (!Files.isRegularFile(p.path())) {
                    throw value.error(missingOrWrong(p, "a " + kind + " table file"));
                }
                if (!m.has("base")) {
                    base = p.path().toAbsolutePath().getParent();
                }
                return new SourceSpec.DeviceTable(at, format, Optional.of(p), List.of(), base);
            }
        }
    }

    private List<SpecPath> packagePaths(YamlValue v, PackageFormat format) throws SpecException {
        String written = v.asNonEmptyString();
        String fileName = Path.of(written).getFileName() == null ? written : Path.of(written).getFileName().toString();
        if (fileName.chars().anyMatch(c -> "*?[".indexOf(c) >= 0)) {
            Path dir = baseDirectory.resolve(written).getParent();
            String dirWritten = written.contains("/") ? written.substring(0, written.lastIndexOf('/') + 1) : "";
            List<SpecPath> found = new ArrayList<>();
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, fileName)) {
                    for (Path p : ds) {
                        if (Files.isRegularFile(p)) {
                            found.add(new SpecPath(p, dirWritten + p.getFileName(), v.location()));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    throw v.error("cannot list " + written + ": " + e.getMessage());
                }
            }
            if (found.isEmpty()) {
                throw v.error(format.key() + " pattern '" + written + "' matches no file");
            }
            found.sort((a, b) -> a.written().compareTo(b.written()));
            return found;
        }
        SpecPath p = hostPath(v);
        if (!Files.isRegularFile(p.path())
                && !(format == PackageFormat.IPK && Files.isRegularFile(p.path().resolve("CONTROL/control")))) {
            throw v.error(missingOrWrong(p, format == PackageFormat.IPK
                    ? "an .ipk file or a package directory with CONTROL/control" : "a .deb file"));
        }
        return List.of(p);
    }

    private static String missingOrWrong(SpecPath p, String expected) {
        return Files.exists(p.path()) ? p.written() + " is not " + expected
                : p.written() + " does not exist (looked for " + p.path() + ")";
    }

    private SpecPath hostPath(YamlValue v) throws SpecException {
        String written = v.asNonEmptyString();
        return new SpecPath(baseDirectory.resolve(written).normalize(), written, v.location());
    }

    /** An absolute path in the image, normalised. */
    private static String imagePath(YamlValue v) throws SpecException {
        String s = v.asNonEmptyString();
        if (!s.startsWith("/")) {
            throw v.error(v.what() + " '" + s + "' must be an absolute path in the image (start with '/')");
        }
        StringBuilder sb = new StringBuilder();
        for (String part : s.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw v.error(v.what() + " '" + s + "' must not contain '..'");
            }
            if (part.getBytes(StandardCharsets.UTF_8).length > 256) {
                throw v.error(v.what() + " has a name longer than 256 bytes");
            }
            sb.append('/').append(part);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    private static String destination(YamlMap m) throws SpecException {
        return m.has("to") ? imagePath(m.require("to")) : "/";
    }

    private static PathGlob glob(YamlValue v) throws SpecException {
        try {
            return PathGlob.compile(v.asNonEmptyString(), v.location());
        } catch (IllegalArgumentException e) {
            throw v.error(e.getMessage());
        }
    }

    private static List<PathGlob> globs(YamlMap m, String key) throws SpecException {
        List<PathGlob> out = new ArrayList<>();
        if (m.has(key)) {
            for (YamlValue v : m.require(key).asScalarOrList()) {
                out.add(glob(v));
            }
        }
        return List.copyOf(out);
    }

    private static boolean bool(YamlMap m, String key, boolean dflt) throws SpecException {
        return m.has(key) ? m.require(key).asBoolean() : dflt;
    }

    private static OptionalInt mode(YamlMap m) throws SpecException {
        return m.has("mode") ? OptionalInt.of(m.require("mode").asMode()) : OptionalInt.empty();
    }

    private static Optional<SourceSpec.Owner> owner(YamlMap m) throws SpecException {
        if (!m.has("owner") && !m.has("group")) {
            return Optional.empty();
        }
        Optional<String> user = m.has("owner") ? Optional.of(m.require("owner").asNonEmptyString()) : Optional.empty();
        Optional<String> group = m.has("group") ? Optional.of(m.require("group").asNonEmptyString()) : Optional.empty();
        SpecLocation at = m.has("owner") ? m.keyLocation("owner") : m.keyLocation("group");
        return Optional.of(new SourceSpec.Owner(user, group, at));
    }

    private static Optional<String> optionalString(YamlMap m, String key) throws SpecException {
        return m.has(key) ? Optional.of(m.require(key).asNonEmptyString()) : Optional.empty();
    }

    // ---- ownership

    private static OwnershipSpec ownership(YamlValue v) throws SpecException {
        YamlMap m = v.asMap();
        m.allowOnly(List.of("archive-owners", "host-modes", "overrides"));
        boolean keep = m.has("archive-owners") && m.require("archive-owners").asChoice(List.of("root", "keep"))
                .equals("keep");
        boolean normalize = m.has("host-modes") && m.require("host-modes").asChoice(List.of("keep", "normalize"))
                .equals("normalize");
        List<OwnershipSpec.Override> overrides = new ArrayList<>();
        if (m.has("overrides")) {
            for (YamlValue item : m.require("overrides").asList()) {
                YamlMap o = item.asMap();
                List<String> allowed = new ArrayList<>(OWNER_KEYS);
                allowed.add(0, "path");
                allowed.add("mode");
                o.allowOnly(allowed);
                Optional<SourceSpec.Owner> owner = owner(o);
                OptionalInt mode = mode(o);
                if (owner.isEmpty() && mode.isEmpty()) {
                    throw new SpecException(o.location(), "override for " + o.require("path").asString()
                            + " changes nothing: give owner, group or mode");
                }
                overrides.add(new OwnershipSpec.Override(glob(o.require("path")), owner, mode, o.location()));
            }
        }
        return new OwnershipSpec(keep, normalize, List.copyOf(overrides));
    }

    // ---- squashfs

    private static SquashfsSpec squashfs(YamlValue v, ProfileSection profile) throws SpecException {
        YamlMap m = v.asMap();
        m.allowOnly(List.of("compression", "compression-options", "block-size", "fragments", "tail-ends",
                "deduplicate", "xattrs", "pad", "export-table", "max-size"));
        SquashfsSpec d = profile.squashfsDefaults(m.location());
        CompressorId comp = d.compression();
        if (m.has("compression")) {
            List<String> names = new ArrayList<>();
            for (CompressorId c : CompressorId.values()) {
                if (c != CompressorId.LZMA) {
                    names.add(c.mksquashfsName());
                }
            }
            comp = CompressorId.fromName(m.require("compression").asChoice(names));
        }
        // the profile's -X options go with the profile's compressor only
        List<String> options = new ArrayList<>(m.has("compression") || m.has("compression-options") ? List.of()
                : d.compressionOptions());
        if (m.has("compression-options")) {
            YamlValue o = m.require("compression-options");
            if (o.isMap()) {
                YamlMap om = o.asMap();
                for (String k : om.keys()) {
                    YamlValue ov = om.require(k);
                    String flag = "-X" + k;
                    if (ov.isScalar() && (ov.asString().equals("true") || ov.asString().equals("false"))) {
                        if (ov.asBoolean()) {
                            options.add(flag);
                        }
                    } else {
                        options.add(flag);
                        options.add(ov.asString());
                    }
                }
            } else {
                for (YamlValue item : o.asList()) {
                    options.add(item.asString());
                }
            }
        }
        int blockSize = d.blockSize();
        if (m.has("block-size")) {
            YamlValue b = m.require("block-size");
            long size = b.asSize();
            if (size < 4096 || size > (1 << 20) || Long.bitCount(size) != 1) {
                throw b.error("block-size " + size + " is not a power of two from 4K to 1M");
            }
            blockSize = (int) size;
        }
        OptionalLong maxSize = m.has("max-size") ? OptionalLong.of(m.require("max-size").asSize()) : OptionalLong.empty();
        return new SquashfsSpec(comp, List.copyOf(options), blockSize, bool(m, "fragments", d.fragments()),
                bool(m, "tail-ends", d.tailEnds()), bool(m, "deduplicate", d.deduplicate()),
                bool(m, "xattrs", d.xattrs()), bool(m, "pad", d.pad()), bool(m, "export-table", d.exportTable()),
                maxSize, m.location());
    }

    // ---- overlay

    private static OverlayConfig overlay(YamlValue v, ProfileSection profile) throws SpecException {
        YamlMap m = v.asMap();
        m.allowOnly(List.of("style", "mode", "data", "filesystem", "keep", "reset-triggers", "reset-flag-file",
                "init", "boot-device", "lowers", "device-timeout", "mark-ready-at-boot", "tmpfs-size"));
        OverlayConfig.Builder b = profile.overlayBuilder();
        String key = null;
        try {
            for (String k : m.keys()) {
                key = k;
                if (!m.has(k)) {
                    continue;
                }
                YamlValue x = m.require(k);
                switch (k) {
                    case "style" -> b.style(BootStyle.fromKey(x.asChoice(java.util.Arrays.stream(BootStyle.values()).map(BootStyle::key).toList())));
                    case "mode" -> b.mode(OverlayMode.fromKey(x.asChoice(java.util.Arrays.stream(OverlayMode.values()).map(OverlayMode::key).toList())));
                    case "data" -> b.data(DataVolume.parse(x.asNonEmptyString()));
                    case "filesystem" -> b.filesystem(DataFilesystem.fromKey(x.asChoice(java.util.Arrays.stream(DataFilesystem.values()).map(DataFilesystem::key).toList())));
                    case "keep" -> b.keep(strings(x));
                    case "reset-triggers" -> {
                        Set<ResetTrigger> triggers = EnumSet.noneOf(ResetTrigger.class);
                        for (YamlValue t : x.asScalarOrList()) {
                            triggers.add(ResetTrigger.fromKey(t.asChoice(java.util.Arrays.stream(ResetTrigger.values()).map(ResetTrigger::key).toList())));
                        }
                        b.resetTriggers(triggers);
                    }
                    case "reset-flag-file" -> b.resetFlagFile(x.asNonEmptyString());
                    case "init" -> b.realInit(x.asNonEmptyString());
                    case "boot-device" -> b.bootDevice(x.asNonEmptyString());
                    case "lowers" -> {
                        List<LowerSource> lowers = new ArrayList<>();
                        for (String s : strings(x)) {
                            lowers.add(LowerSource.parse(s));
                        }
                        b.lowers(lowers);
                    }
                    case "device-timeout" -> b.deviceTimeoutSeconds((int) x.asLong(1,
                            OverlayConfig.MAX_DEVICE_TIMEOUT_SECONDS));
                    case "mark-ready-at-boot" -> b.markReadyAtBoot(x.asBoolean());
                    case "tmpfs-size" -> b.tmpfsSize(x.asNonEmptyString());
                    default -> throw new IllegalStateException(k);
                }
            }
            key = null;
            return b.build();
        } catch (OverlayConfigException e) {
            SpecLocation at = key == null ? m.location() : m.keyLocation(key);
            throw new SpecException(at, "overlay: " + e.getMessage());
        }
    }

    // ---- initramfs

    private InitramfsSpec initramfs(YamlValue v) throws SpecException {
        YamlMap m = v.asMap();
        m.allowOnly(List.of("busybox", "module-dir", "modules", "compression", "file-name", "files"));
        SpecPath busybox = hostPath(m.require("busybox"));
        if (!Files.isRegularFile(busybox.path())) {
            throw m.require("busybox").error(missingOrWrong(busybox, "a static busybox binary")
                    + " (Debian: /bin/busybox from the busybox-static package)");
        }
        Optional<SpecPath> moduleDir = Optional.empty();
        if (m.has("module-dir")) {
            SpecPath d = hostPath(m.require("module-dir"));
            if (!Files.isDirectory(d.path())) {
                throw m.require("module-dir").error(missingOrWrong(d, "a kernel's lib/modules/VERSION directory"));
            }
            moduleDir = Optional.of(d);
        }
        List<String> modules = m.has("modules") ? strings(m.require("modules")) : List.of();
        if (!modules.isEmpty() && moduleDir.isEmpty()) {
            throw m.require("modules").error("modules need module-dir: the kernel's lib/modules/VERSION directory");
        }
        if (modules.isEmpty() && moduleDir.isPresent()) {
            throw m.require("module-dir").error("module-dir without modules loads nothing: list the modules to load"
                    + " (their dependencies are added)");
        }
        InitramfsCompression compression = InitramfsCompression.GZIP;
        if (m.has("compression")) {
            compression = InitramfsCompression.fromKey(m.require("compression").asChoice(
                    java.util.Arrays.stream(InitramfsCompression.values()).map(InitramfsCompression::key).toList()));
        }
        String fileName = InitramfsSpec.defaultFileName(compression);
        if (m.has("file-name")) {
            YamlValue f = m.require("file-name");
            fileName = f.asNonEmptyString();
            if (fileName.contains("/") || fileName.startsWith(".") || fileName.equals("rootfs.squashfs")
                    || fileName.equals("manifest.json")) {
                throw f.error("file-name '" + fileName + "' must be a plain file name in the output directory"
                        + " (no '/', no leading '.', not rootfs.squashfs or manifest.json)");
            }
        }
        List<InitramfsSpec.ExtraFile> files = new ArrayList<>();
        if (m.has("files")) {
            for (YamlValue item : m.require("files").asList()) {
                YamlMap f = item.asMap();
                f.allowOnly(List.of("path", "from", "mode"));
                String path = imagePath(f.require("path"));
                SpecPath from = hostPath(f.require("from"));
                if (!Files.isRegularFile(from.path())) {
                    throw f.require("from").error(missingOrWrong(from, "a regular file"));
                }
                int mode = f.has("mode") ? f.require("mode").asMode() : Files.isExecutable(from.path()) ? 0755 : 0644;
                files.add(new InitramfsSpec.ExtraFile(path, from, mode));
            }
        }
        return new InitramfsSpec(busybox, moduleDir, modules, compression, fileName, files, m.location());
    }

    private static List<String> strings(YamlValue v) throws SpecException {
        List<String> out = new ArrayList<>();
        for (YamlValue item : v.asScalarOrList()) {
            out.add(item.asNonEmptyString());
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
