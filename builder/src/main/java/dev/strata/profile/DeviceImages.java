package dev.strata.profile;

import dev.strata.image.BudgetException;
import dev.strata.image.disk.DiskImageWriter;
import dev.strata.image.disk.DiskPlan;
import dev.strata.image.disk.GrubBootSector;
import dev.strata.image.disk.PartitionContent;
import dev.strata.image.disk.PartitionPlan;
import dev.strata.image.fat.FatType;
import dev.strata.image.flash.NorFirmware;
import dev.strata.image.flash.SysupgradeTar;
import dev.strata.image.partition.GptPartition;
import dev.strata.image.partition.PartitionScheme;
import dev.strata.overlay.config.BootStyle;
import dev.strata.overlay.config.OverlayConfig;
import dev.strata.profile.Profile.DiskOutput;
import dev.strata.profile.Profile.FatDecl;
import dev.strata.profile.Profile.FatFileDecl;
import dev.strata.profile.Profile.NorFirmwareOutput;
import dev.strata.profile.Profile.OutputDecl;
import dev.strata.profile.Profile.PartitionDecl;
import dev.strata.profile.Profile.SysupgradeOutput;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Turns a built root (rootfs.squashfs, and the initramfs when there is one) into the flashable
 * files a profile describes: disk images with their partition tables and FAT boot partitions, NOR
 * firmware images, sysupgrade archives, each gzipped when the profile says so. Writes only into the
 * directory it is given (the build's staging directory), so a failure leaves nothing behind.
 */
public final class DeviceImages {
    private static final Pattern KNOB = Pattern.compile("@([a-z][a-z0-9-]*)@");

    private final ImageSettings settings;
    private final Path squashfs;
    private final Optional<Path> initramfs;
    private final Optional<OverlayConfig> overlay;
    private final long epoch;
    private final List<BudgetException.Contributor> contributors;

    /**
     * @param squashfs     the lower image
     * @param initramfs    the initramfs the build generated, if any
     * @param overlay      the spec's overlay, if any (decides {@code @init@})
     * @param epoch        the build time (FAT and tar timestamps)
     * @param contributors the root's largest parts, for size errors
     */
    public DeviceImages(ImageSettings settings, Path squashfs, Optional<Path> initramfs,
                        Optional<OverlayConfig> overlay, long epoch, List<BudgetException.Contributor> contributors) {
        this.settings = settings;
        this.squashfs = squashfs;
        this.initramfs = initramfs;
        this.overlay = overlay;
        this.epoch = epoch;
        this.contributors = List.copyOf(contributors);
    }

    /** One file written. */
    public record Written(Path file, String kind, long size, String sha256, Optional<Path> gzip,
                          Optional<String> gzipSha256, Details details) {
    }

    /** What a file holds, for the image manifest. */
    public sealed interface Details {
    }

    /** A partitioned disk image. */
    public record DiskDetails(PartitionScheme scheme, String identifier, String commandLine,
                              DiskImageWriter.Result result, BootLoader bootLoader) implements Details {
    }

    /**
     * What boots the disk on a PC's BIOS (UEFI firmware looks for its loader on the EFI system
     * partition instead): nothing, the given MBR code alone, or GRUB (boot.img in the MBR, core.img of
     * coreBytes before the first partition).
     */
    public record BootLoader(Kind kind, long coreBytes) {
        /** What images.json calls it. */
        public enum Kind {
            NONE("none"), MBR_CODE("mbr-code"), GRUB("grub-i386-pc");

            public final String key;

            Kind(String key) {
                this.key = key;
            }
        }

        static BootLoader of(byte[] bootCode, byte[] grubCore) {
            return new BootLoader(grubCore.length > 0 ? Kind.GRUB : bootCode.length > 0 ? Kind.MBR_CODE : Kind.NONE,
                    grubCore.length);
        }
    }

    /** A NOR firmware image. */
    public record NorDetails(long eraseBlock, long firmwareSize, NorFirmware.Result result) implements Details {
    }

    /** A sysupgrade archive. */
    public record TarDetails(String board, List<String> entries) implements Details {
    }

    /** The kernel command line the profile's {@code cmdline} text renders to, or "". */
    public String commandLine() throws ProfileException {
        if (!settings.profile().texts().containsKey("cmdline")) {
            return "";
        }
        return Template.commandLine(settings.render("@text:cmdline@", "text cmdline", extra()));
    }

    /** Placeholders only a build knows. */
    private Map<String, String> extra() {
        boolean inRoot = overlay.isPresent() && overlay.get().style() == BootStyle.IN_ROOT;
        return Map.of("init", inRoot ? "init=/sbin/strata-init" : "", "grub-initrd", grubInitrd());
    }

    /** Writes every output into dir. */
    public List<Written> writeAll(Path dir) throws IOException {
        checkOverlay();
        List<Written> out = new ArrayList<>();
        for (OutputDecl o : settings.profile().outputs()) {
            String name = settings.render(o.file(), "output file name");
            if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
                throw new ProfileException("profile " + settings.profile().name() + ": output file name '" + name
                        + "' must be a plain file name");
            }
            Path file = dir.resolve(name);
            if (o instanceof DiskOutput d) {
                out.add(disk(d, file));
            } else if (o instanceof NorFirmwareOutput n) {
                out.add(nor(n, file));
            } else {
                out.add(sysupgrade((SysupgradeOutput) o, file));
            }
        }
        return out;
    }

    /** The overlay must be one the device's storage can hold, in the boot style the images need. */
    private void checkOverlay() throws ProfileException {
        Profile p = settings.profile();
        if (overlay.isEmpty()) {
            return;
        }
        OverlayConfig c = overlay.get();
        if (p.overlay().style().isPresent() && !p.overlay().style().get().equals(c.style().key())) {
            throw new ProfileException("profile " + p.name() + " boots the " + p.overlay().style().get()
                    + " style, but the spec's overlay style is " + c.style().key());
        }
        java.util.Set<dev.strata.overlay.config.DataVolume.Kind> kinds =
                java.util.EnumSet.noneOf(dev.strata.overlay.config.DataVolume.Kind.class);
        for (String s : p.overlay().storage()) {
            kinds.add(dev.strata.overlay.config.DataVolume.Kind.valueOf(s.toUpperCase(Locale.ROOT)));
        }
        try {
            c.checkStorage(kinds, "profile " + p.name());
        } catch (RuntimeException e) {
            throw new ProfileException(e.getMessage());
        }
    }

    // ---- disk images

    private Written disk(DiskOutput d, Path file) throws IOException {
        String what = "disk " + file.getFileName();
        PartitionScheme scheme;
        try {
            scheme = PartitionScheme.fromKey(settings.render(d.table(), what + " table"));
        } catch (IllegalArgumentException e) {
            throw new ProfileException(knob(d.table()) + ": " + e.getMessage());
        }
        byte[] bootCode = new byte[0];
        if (d.bootCode().isPresent() && settings.input(d.bootCode().get()).isPresent()) {
            try (InputStream in = Files.newInputStream(settings.input(d.bootCode().get()).get())) {
                bootCode = in.readNBytes(440);
            }
        }
        long first = settings.size(d.first(), "first partition offset");
        byte[] grubCore = grubCore(d, scheme, bootCode, first);
        List<PartitionPlan> parts = new ArrayList<>();
        for (PartitionDecl p : d.partitions()) {
            long size = settings.size(p.size(), "partition " + p.name() + " size");
            if (size % 512 != 0) {
                throw new ProfileException(knob(p.size()) + " (" + size + " bytes) is not a multiple of 512");
            }
            parts.add(new PartitionPlan(p.number(), p.name(), size, p.mbrType(), gptType(p.gptType()), p.bootable(),
                    content(p), knob(p.size())));
        }
        long minimum = d.diskSize().isPresent() ? settings.size(d.diskSize().get(), "disk size") : 0;
        DiskPlan plan = new DiskPlan(scheme, first,
                settings.size(d.alignment(), "partition alignment"), settings.diskSignature(), settings.diskGuid(),
                bootCode, grubCore, parts, minimum);
        DiskImageWriter.Result r = DiskImageWriter.write(plan, file);
        String identifier = scheme == PartitionScheme.MBR ? String.format(Locale.ROOT, "%08x", plan.diskSignature())
                : plan.diskGuid().toString();
        return finish(file, "disk image", d.gzip(), new DiskDetails(scheme, identifier, commandLine(), r,
                BootLoader.of(bootCode, grubCore)));
    }

    /**
     * GRUB's core.img, placed before the first partition as grub-bios-setup installs it: right after
     * the MBR, or on GPT in a BIOS boot partition after the entries. It needs boot.img in the MBR
     * (which bootCode then is, patched as grub-bios-setup patches it) and room before the first
     * partition.
     */
    private byte[] grubCore(DiskOutput d, PartitionScheme scheme, byte[] bootCode, long first) throws IOException {
        if (d.grubCore().isEmpty() || settings.input(d.grubCore().get()).isEmpty()) {
            return new byte[0];
        }
        String name = d.grubCore().get();
        Path file = settings.input(name).get();
        if (bootCode.length == 0) {
            throw new ProfileException("image input " + name + " is loaded by the MBR's boot code: give image input "
                    + d.bootCode().orElse("boot-code") + " too (GRUB's boot.img)");
        }
        if (!GrubBootSector.isGrub(bootCode)) {
            throw new ProfileException("image input " + d.bootCode().get() + " is not GRUB's boot.img (it does not"
                    + " start with GRUB's jump, EB 63), and only that loads image input " + name);
        }
        long room = DiskPlan.coreRoom(scheme, first);
        long size = Files.size(file);
        if (size < 512 || size > room) {
            throw new ProfileException("image input " + name + " (" + file + ") is " + size + " bytes; between the "
                    + (scheme == PartitionScheme.MBR ? "MBR" : "GPT entries") + " and the first partition there is"
                    + " room for 512 to " + room + " bytes");
        }
        byte[] core = Files.readAllBytes(file);
        GrubBootSector.install(bootCode, core, DiskPlan.coreSector(scheme));
        return core;
    }

    /** "image option root-size" for a template "@root-size@"; the template itself otherwise. */
    private String knob(String template) {
        Matcher m = KNOB.matcher(template);
        if (m.find()) {
            return Profiles.knobOf(settings.profile(), m.group(1)).orElse("'" + template + "'");
        }
        return "profile " + settings.profile().name() + " value '" + template + "'";
    }

    private static UUID gptType(String t) throws ProfileException {
        return switch (t) {
            case "efi-system" -> GptPartition.TYPE_EFI_SYSTEM;
            case "linux" -> GptPartition.TYPE_LINUX;
            case "basic-data" -> GptPartition.TYPE_BASIC_DATA;
            case "bios-boot" -> GptPartition.TYPE_BIOS_BOOT;
            default -> {
                try {
                    yield UUID.fromString(t);
                } catch (IllegalArgumentException e) {
                    throw new ProfileException("GPT type '" + t + "' is not a GUID or one of efi-system, linux,"
                            + " basic-data, bios-boot");
                }
            }
        };
    }

    private PartitionContent content(PartitionDecl p) throws IOException {
        if (p.content() instanceof FatDecl f) {
            String label = f.label().isEmpty() ? null : settings.render(f.label(), "partition " + p.name() + " label");
            FatType type = null;
            if (f.type().isPresent()) {
                String t = settings.render(f.type().get(), "partition " + p.name() + " FAT type");
                if (!t.isEmpty() && !t.equals("auto")) {
                    try {
                        type = FatType.fromKey(t);
                    } catch (IllegalArgumentException e) {
                        throw new ProfileException(knob(f.type().get()) + ": " + e.getMessage());
                    }
                }
            }
            return new PartitionContent.Fat(fatTree(f, p), label == null || label.isEmpty() ? null : label,
                    settings.volumeId(p.number()), type);
        }
        if (p.content() instanceof Profile.RootfsDecl) {
            return new PartitionContent.SquashfsRoot(squashfs, contributors);
        }
        return new PartitionContent.DataVolume();
    }

    /** The files of a FAT partition, from the inputs, texts, the root image and the initramfs. */
    FileTree fatTree(FatDecl f, PartitionDecl p) throws IOException {
        FileTree tree = new FileTree();
        String part = "the " + p.name() + " partition";
        for (FatFileDecl e : f.files()) {
            switch (e.source()) {
                case INPUT -> addInput(tree, e, part);
                case TEXT -> put(tree, e.to(), text(e.ref()));
                case ROOTFS -> put(tree, e.to(), FileContent.of(squashfs));
                case INITRAMFS -> {
                    if (!e.ref().equals("if-built") || initramfsAvailable()) {
                        put(tree, e.to(), FileContent.of(initramfs(e.to())));
                    }
                }
                case MD5 -> {
                    Node n = tree.find(e.ref());
                    if (!(n instanceof FileNode fn)) {
                        throw new ProfileException("profile " + settings.profile().name() + ": md5 of " + e.ref()
                                + ", which is not on " + part + " before " + e.to());
                    }
                    String name = e.ref().substring(e.ref().lastIndexOf('/') + 1);
                    put(tree, e.to(), FileContent.of((md5(fn.content()) + "  " + name + "\n")
                            .getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        tree.walk((path, n) -> n.setMtime(epoch));
        return tree;
    }

    private boolean initramfsAvailable() {
        return initramfs.isPresent()
                || settings.profile().inputs().containsKey("initramfs") && settings.input("initramfs").isPresent();
    }

    /** GRUB's "initrd PATH" for the first FAT file that holds the initramfs, when there is one; else empty. */
    private String grubInitrd() {
        if (!initramfsAvailable()) {
            return "";
        }
        return settings.profile().outputs().stream()
                .flatMap(o -> o instanceof DiskOutput d ? d.partitions().stream() : java.util.stream.Stream.empty())
                .flatMap(p -> p.content() instanceof FatDecl f ? f.files().stream() : java.util.stream.Stream.empty())
                .filter(e -> e.source() == Profile.FatSource.INITRAMFS)
                .findFirst().map(e -> "initrd " + e.to()).orElse("");
    }

    private Path initramfs(String to) throws ProfileException {
        if (initramfs.isPresent()) {
            return initramfs.get();
        }
        if (settings.profile().inputs().containsKey("initramfs") && settings.input("initramfs").isPresent()) {
            return settings.input("initramfs").get();
        }
        throw new ProfileException("profile " + settings.profile().name() + " puts an initramfs at " + to
                + ": add an initramfs section to the spec (with an overlay of style initramfs), or give image input"
                + " initramfs");
    }

    private FileContent text(String name) throws ProfileException {
        String t = settings.render("@text:" + name + "@", "text " + name, extra());
        return FileContent.of(t.getBytes(StandardCharsets.UTF_8));
    }

    private void addInput(FileTree tree, FatFileDecl e, String part) throws IOException {
        Profile.InputDecl decl = settings.profile().inputs().get(e.ref());
        Optional<Path> given = settings.input(e.ref());
        if (given.isEmpty()) {
            if (e.elseText().isPresent()) {
                put(tree, e.to(), text(e.elseText().get()));
                return;
            }
            if (decl.required()) {
                throw new ProfileException("profile " + settings.profile().name() + " needs image input " + e.ref()
                        + " (" + decl.help() + ")");
            }
            return;
        }
        Path host = given.get();
        if (!decl.directory()) {
            if (!Files.isRegularFile(host)) {
                throw new ProfileException("image input " + e.ref() + ": " + host + " does not exist or is not a file"
                        + " (" + part + " needs it as " + e.to() + ")");
            }
            put(tree, e.to(), FileContent.of(host));
            return;
        }
        if (!Files.isDirectory(host)) {
            throw new ProfileException("image input " + e.ref() + ": " + host + " is not a directory");
        }
        for (String required : e.require()) {
            if (!Files.isRegularFile(host.resolve(required))) {
                throw new ProfileException("image input " + e.ref() + ": " + host.resolve(required)
                        + " does not exist (" + part + " needs " + e.to() + required + ")");
            }
        }
        List<Path> files = new ArrayList<>();
        if (e.glob().isPresent()) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + e.glob().get());
            try (Stream<Path> s = Files.list(host)) {
                s.filter(x -> Files.isRegularFile(x) && m.matches(x.getFileName())).forEach(files::add);
            }
            if (files.isEmpty() && decl.required()) {
                throw new ProfileException("image input " + e.ref() + ": no " + e.glob().get() + " in " + host);
            }
        } else {
            try (Stream<Path> s = Files.walk(host)) {
                s.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        files.sort(null);
        for (Path x : files) {
            put(tree, e.to() + host.relativize(x).toString().replace('\\', '/'), FileContent.of(x));
        }
    }

    private static void put(FileTree tree, String path, FileContent content) {
        tree.put(path, new FileNode(content, 0644));
    }

    // ---- flash

    private Written nor(NorFirmwareOutput n, Path file) throws IOException {
        Path kernel = kernel(n.kernel(), file);
        long eb = settings.size(n.eraseBlock(), "erase block");
        long size = settings.size(n.firmwareSize(), "firmware size");
        NorFirmware.Flash flash = new NorFirmware.Flash(eb, size);
        try {
            NorFirmware.check(flash, knob(n.eraseBlock()), knobs(n.firmwareSize()));
        } catch (IllegalArgumentException e) {
            throw new ProfileException(e.getMessage());
        }
        NorFirmware.Result r = NorFirmware.write(kernel, squashfs, flash, file, contributors, knobs(n.firmwareSize()));
        return finish(file, "NOR firmware", false, new NorDetails(eb, size, r));
    }

    /** "image options flash-size, bootloader-size" for a size expression. */
    private String knobs(String template) {
        Matcher m = KNOB.matcher(template);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        if (names.size() == 1) {
            return knob(template);
        }
        return names.isEmpty() ? knob(template) : "image options " + String.join(", ", names);
    }

    private Written sysupgrade(SysupgradeOutput s, Path file) throws IOException {
        Path kernel = kernel(s.kernel(), file);
        String board = settings.render(s.board(), "sysupgrade board");
        String problem = SysupgradeTar.problemWithBoard(board);
        if (problem != null) {
            throw new ProfileException(knob(s.board()) + ": " + problem);
        }
        SysupgradeTar.write(board, kernel, squashfs, epoch, file);
        String dir = "sysupgrade-" + board + "/";
        return finish(file, "sysupgrade archive", false,
                new TarDetails(board, List.of(dir, dir + "CONTROL", dir + "kernel", dir + "root")));
    }

    private Path kernel(String input, Path output) throws ProfileException {
        Optional<Path> k = settings.input(input);
        if (k.isEmpty()) {
            throw new ProfileException("profile " + settings.profile().name() + " needs image input " + input + " for "
                    + output.getFileName());
        }
        if (!Files.isRegularFile(k.get())) {
            throw new ProfileException("image input " + input + ": " + k.get() + " does not exist or is not a file");
        }
        return k.get();
    }

    // ---- finishing

    private Written finish(Path file, String kind, boolean gzip, Details details) throws IOException {
        String sha = sha256(file);
        Optional<Path> gz = Optional.empty();
        Optional<String> gzSha = Optional.empty();
        if (gzip) {
            Path g = file.resolveSibling(file.getFileName() + ".gz");
            gzip(file, g);
            gz = Optional.of(g);
            gzSha = Optional.of(sha256(g));
        }
        return new Written(file, kind, Files.size(file), sha, gz, gzSha, details);
    }

    /** gzip -9n: no name, no time, so the same image gives the same .gz. */
    static void gzip(Path in, Path out) throws IOException {
        try (InputStream i = Files.newInputStream(in);
             OutputStream o = new GZIPOutputStream(Files.newOutputStream(out, StandardOpenOption.CREATE_NEW,
                     StandardOpenOption.WRITE), 1 << 16) {
                 {
                     def.setLevel(Deflater.BEST_COMPRESSION);
                 }
             }) {
            i.transferTo(o);
        }
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md = digest("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = new byte[1 << 16];
            int n;
            while ((n = in.read(b)) > 0) {
                md.update(b, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String md5(FileContent content) throws IOException {
        MessageDigest md = digest("MD5");
        try (InputStream in = content.open()) {
            byte[] b = new byte[1 << 16];
            int n;
            while ((n = in.read(b)) > 0) {
                md.update(b, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
