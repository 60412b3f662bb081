package dev.strata.build;

import dev.strata.overlay.config.OverlayConfig;
import dev.strata.overlay.device.OverlayInstallException;
import dev.strata.overlay.device.RootInstaller;
import dev.strata.sources.EpochTime;
import dev.strata.sources.archive.ContentSpool;
import dev.strata.spec.OwnershipSpec;
import dev.strata.spec.SourceSpec;
import dev.strata.spec.Spec;
import dev.strata.spec.SpecException;
import dev.strata.spec.SquashfsSpec;
import dev.strata.spec.TimePolicy;
import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.compress.Compressors;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.SymlinkNode;
import dev.strata.squashfs.write.FragmentPolicy;
import dev.strata.squashfs.write.SquashfsWriter;
import dev.strata.squashfs.write.WriteResult;
import dev.strata.squashfs.write.WriterOptions;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Builds a spec into rootfs.squashfs and manifest.json (and the initramfs when the spec has that
 * section): applies the steps in order, adds the release file, applies the ownership overrides and
 * the time policy, writes the image, the initramfs, then the manifest. Everything is written into a staging directory inside the output directory and moved
 * into place only when complete (image first, manifest last); a failed build leaves neither, not
 * even those of an earlier build, so nothing in the directory looks like the result of this one.
 */
public final class FirmwareBuilder {
    public static final String IMAGE = "rootfs.squashfs";
    public static final String MANIFEST = "manifest.json";

    private final BuildListener listener;

    public FirmwareBuilder(BuildListener listener) {
        this.listener = listener;
    }

    public BuildResult build(BuildRequest request) throws IOException, SpecException {
        Spec spec = request.spec();
        Path outDir = request.output().or(spec::output).orElse(Path.of("out", spec.name())).toAbsolutePath().normalize();
        Epoch epoch = epoch(request);
        Compressor compressor = compressor(spec.squashfs());
        Files.createDirectories(outDir);
        Files.deleteIfExists(outDir.resolve(MANIFEST));
        Files.deleteIfExists(outDir.resolve(IMAGE));
        if (spec.initramfs().isPresent()) {
            Files.deleteIfExists(outDir.resolve(spec.initramfs().get().fileName()));
        }
        for (String name : DeviceImageStep.fileNames(spec)) {
            Files.deleteIfExists(outDir.resolve(name));
        }
        Path staging = Files.createTempDirectory(outDir, ".strata-build-");
        List<String> warnings = new ArrayList<>();
        java.util.function.Consumer<String> warn = w -> {
            warnings.add(w);
            listener.warning(w);
        };
        if (!epoch.reproducible) {
            warn.accept("neither SOURCE_DATE_EPOCH nor source-date-epoch is set; using the current time,"
                    + " so this build is not reproducible");
        }
        try (ContentSpool spool = ContentSpool.create(staging)) {
            RootAssembly assembly = new RootAssembly(epoch.seconds);
            SourceSteps steps = new SourceSteps(assembly, spool, warn, epoch.seconds, request.environment(),
                    spec.ownership().normalizeHostModes());
            int count = spec.sources().size() + 2;
            int index = 0;
            for (SourceSpec step : spec.sources()) {
                listener.step(++index, count, step.label());
                steps.apply(step);
            }
            listener.step(++index, count, "release file, ownership and times");
            if (spec.releaseFile().isPresent()) {
                FileNode release = new FileNode(FileContent.of(ReleaseFile.render(spec, epoch.seconds,
                        strataVersion())), 0644);
                assembly.place(ImagePaths.names(spec.releaseFile().get()), release, "release file");
            }
            applyOverrides(assembly, spec.ownership(), warn);
            applyTimes(assembly, spec.timestamps(), epoch.seconds);
            if (spec.overlay().isPresent()) {
                installOverlay(assembly, spec.overlay().get());
            }

            listener.step(++index, count, "writing " + IMAGE);
            WriterOptions options = writerOptions(spec.squashfs(), compressor, epoch.seconds, request.processors());
            long total = trackProgress(assembly);
            Path image = staging.resolve(IMAGE);
            WriteResult result = new SquashfsWriter(options).write(assembly.tree(), image);
            listener.writing(total, total);
            String imageSha = sha256(image);
            ManifestWriter.Output manifest = ManifestWriter.write(spec, epoch.seconds, assembly, steps.installed(),
                    result, imageSha, compressor.describe(), ImageAccounts.of(assembly));
            checkBudget(spec.squashfs(), result, manifest.report());
            Optional<Path> initramfs = Optional.empty();
            if (spec.initramfs().isPresent()) {
                listener.step(index, count, "writing " + spec.initramfs().get().fileName());
                initramfs = Optional.of(InitramfsStep.write(spec.initramfs().get(), spec.overlay().orElseThrow(),
                        epoch.seconds, staging));
            }
            DeviceImageStep.Output images = DeviceImageStep.Output.none();
            if (spec.image().isPresent()) {
                listener.step(index, count, "writing the " + spec.image().get().profile().name() + " images");
                images = DeviceImageStep.write(spec, image, initramfs, epoch.seconds, manifest.report(), staging);
            }
            Path manifestFile = staging.resolve(MANIFEST);
            Files.writeString(manifestFile, manifest.json(), StandardCharsets.UTF_8);
            Files.move(image, outDir.resolve(IMAGE), StandardCopyOption.ATOMIC_MOVE);
            if (initramfs.isPresent()) {
                initramfs = Optional.of(Files.move(initramfs.get(), outDir.resolve(initramfs.get().getFileName()),
                        StandardCopyOption.ATOMIC_MOVE));
            }
            List<Path> deviceImages = new ArrayList<>();
            for (Path f : images.files()) {
                deviceImages.add(Files.move(f, outDir.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE));
            }
            Files.move(manifestFile, outDir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
            return new BuildResult(outDir, outDir.resolve(IMAGE), outDir.resolve(MANIFEST), initramfs, result,
                    epoch.seconds, epoch.reproducible, manifest.report(), steps.installed(), List.copyOf(warnings),
                    List.copyOf(deviceImages), images.lines());
        } finally {
            deleteTree(staging);
        }
    }

    /** The overlay init scripts, their overlay.conf and mount points go into the lower image. */
    private static void installOverlay(RootAssembly assembly, OverlayConfig overlay) throws AssemblyException {
        try {
            RootInstaller.install(assembly.tree(), overlay);
            assembly.recordUnplaced("overlay-init");
        } catch (OverlayInstallException e) {
            throw new AssemblyException("overlay: " + e.getMessage());
        }
    }

    private record Epoch(long seconds, boolean reproducible) {
    }

    private static Epoch epoch(BuildRequest request) throws SpecException {
        String env = request.environment().get("SOURCE_DATE_EPOCH");
        if (env != null && !env.isEmpty()) {
            try {
                return new Epoch(EpochTime.parseSeconds(env.trim()), true);
            } catch (IllegalArgumentException e) {
                throw new SpecException(new dev.strata.spec.SpecLocation("SOURCE_DATE_EPOCH", 1, 1), e.getMessage());
            }
        }
        if (request.spec().sourceDateEpoch().isPresent()) {
            return new Epoch(request.spec().sourceDateEpoch().getAsLong(), true);
        }
        return new Epoch(Math.max(0, request.clock().instant().getEpochSecond()), false);
    }

    private static Compressor compressor(SquashfsSpec s) throws SpecException {
        try {
            return Compressors.create(s.compression(), s.compressionOptions(), s.blockSize());
        } catch (IllegalArgumentException e) {
            throw new SpecException(s.location(), "squashfs: " + e.getMessage());
        }
    }

    static WriterOptions writerOptions(SquashfsSpec s, Compressor compressor, long epoch, int processors) {
        FragmentPolicy fragments = !s.fragments() ? FragmentPolicy.NONE
                : s.tailEnds() ? FragmentPolicy.TAIL_ENDS : FragmentPolicy.SMALL_FILES;
        return WriterOptions.builder(compressor).blockSize(s.blockSize()).pad(s.pad()).fragments(fragments)
                .deduplicate(s.deduplicate()).exportTable(s.exportTable()).xattrs(s.xattrs()).mkfsTime(epoch)
                .processors(Math.max(1, processors)).build();
    }

    private static void applyOverrides(RootAssembly assembly, OwnershipSpec ownership,
                                       java.util.function.Consumer<String> warn) throws IOException {
        if (ownership.overrides().isEmpty()) {
            return;
        }
        ImageAccounts accounts = ImageAccounts.of(assembly);
        for (OwnershipSpec.Override o : ownership.overrides()) {
            Integer uid = null;
            Integer gid = null;
            try {
                if (o.owner().isPresent() && o.owner().get().user().isPresent()) {
                    uid = accounts.uid(o.owner().get().user().get());
                }
                if (o.owner().isPresent() && o.owner().get().group().isPresent()) {
                    gid = accounts.gid(o.owner().get().group().get());
                }
            } catch (IllegalArgumentException e) {
                throw new AssemblyException(o.owner().get().location() + ": " + e.getMessage());
            }
            Integer u = uid;
            Integer g = gid;
            int[] matched = {0};
            Map<Node, Boolean> seen = new IdentityHashMap<>();
            assembly.tree().walk((path, node) -> {
                if (o.path().matches(path) && seen.put(node, Boolean.TRUE) == null) {
                    matched[0]++;
                    if (u != null) {
                        node.setUid(u);
                    }
                    if (g != null) {
                        node.setGid(g);
                    }
                    if (!(node instanceof SymlinkNode)) {
                        o.mode().ifPresent(node::setPermissions);
                    }
                }
            });
            if (matched[0] == 0) {
                warn.accept(o.location() + ": ownership override '" + o.path().text() + "' matched nothing");
            }
        }
    }

    private static void applyTimes(RootAssembly assembly, TimePolicy policy, long epoch) {
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        assembly.tree().walk((path, node) -> {
            if (seen.put(node, Boolean.TRUE) == null) {
                if (policy == TimePolicy.FIXED || node.mtime() > epoch) {
                    node.setMtime(epoch);
                }
            }
        });
    }

    /** Wraps every file's content so bytes read by the writer show as progress; returns the total. */
    private long trackProgress(RootAssembly assembly) {
        AtomicLong done = new AtomicLong();
        long[] total = {0};
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        assembly.tree().walk((path, node) -> {
            if (node instanceof FileNode f && seen.put(node, Boolean.TRUE) == null) {
                FileContent inner = f.content();
                total[0] += inner.size();
                f.setContent(FileContent.of(inner.size(), inner.origin(), () -> new FilterInputStream(inner.open()) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0) {
                            listener.writing(done.addAndGet(n), total[0]);
                        }
                        return n;
                    }
                }));
            }
        });
        return total[0];
    }

    private static void checkBudget(SquashfsSpec s, WriteResult result, SizeReport report) throws IOException {
        if (s.maxSize().isEmpty() || result.imageSize() <= s.maxSize().getAsLong()) {
            return;
        }
        long over = result.imageSize() - s.maxSize().getAsLong();
        StringBuilder largest = new StringBuilder();
        int shown = 0;
        for (Map.Entry<String, Long> e : report.directories().entrySet()) {
            if (shown++ == 5) {
                break;
            }
            largest.append(shown == 1 ? "" : ", ").append(e.getKey()).append(' ')
                    .append(dev.strata.spec.ByteSize.human(e.getValue()));
        }
        throw new AssemblyException(s.location() + ": the image is " + result.imageSize() + " bytes, " + over
                + " bytes more than max-size " + s.maxSize().getAsLong() + "; largest: " + largest);
    }

    private static String sha256(Path file) throws IOException {
        java.security.MessageDigest md = Digests.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[256 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    static String strataVersion() {
        try (InputStream in = FirmwareBuilder.class.getResourceAsStream("/dev/strata/cli/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a leftover staging directory is hidden and never looks complete
                }
            });
        } catch (IOException e) {
            // as above
        }
    }
}
