package dev.strata.build;

import dev.strata.image.BudgetException;
import dev.strata.image.disk.PlacedPartition;
import dev.strata.profile.DeviceImages;
import dev.strata.profile.ImageSettings;
import dev.strata.profile.Profile;
import dev.strata.spec.ByteSize;
import dev.strata.spec.ImageSpec;
import dev.strata.spec.Spec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The build's last step for a spec with a profile: the device images, {@code images.json} (every
 * output, partition, offset, size and file) and {@code sha256sums} (as {@code sha256sum -c} reads
 * it) for everything the build wrote.
 */
final class DeviceImageStep {
    static final String IMAGE_MANIFEST = "images.json";
    static final String SUMS = "sha256sums";

    private DeviceImageStep() {
    }

    /**
     * What the step wrote.
     *
     * @param files the files, in the staging directory until the build moves them
     * @param lines what the terminal shows
     */
    record Output(List<Path> files, List<String> lines) {
        static Output none() {
            return new Output(List.of(), List.of());
        }
    }

    /** Names a build of spec writes besides rootfs.squashfs, so an earlier build's can go first. */
    static List<String> fileNames(Spec spec) throws IOException {
        List<String> out = new ArrayList<>();
        if (spec.image().isEmpty()) {
            return out;
        }
        ImageSettings s = spec.image().get().settings(spec.name(), spec.version());
        for (Profile.OutputDecl o : s.profile().outputs()) {
            String name = s.render(o.file(), "output file name");
            out.add(name);
            out.add(name + ".gz");
        }
        out.add(IMAGE_MANIFEST);
        out.add(SUMS);
        return out;
    }

    static Output write(Spec spec, Path squashfs, Optional<Path> initramfs, long epoch, SizeReport report, Path dir)
            throws IOException {
        if (spec.image().isEmpty()) {
            return Output.none();
        }
        ImageSpec image = spec.image().get();
        ImageSettings settings = image.settings(spec.name(), spec.version());
        DeviceImages images = new DeviceImages(settings, squashfs, initramfs, spec.overlay(), epoch,
                contributors(report));
        List<DeviceImages.Written> written = images.writeAll(dir);
        List<Path> files = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        lines.add("profile " + settings.profile().name() + ":");
        Map<String, String> sums = new TreeMap<>();
        sums.put(squashfs.getFileName().toString(), Digests.sha256(dev.strata.squashfs.tree.FileContent.of(squashfs)));
        if (initramfs.isPresent()) {
            sums.put(initramfs.get().getFileName().toString(),
                    Digests.sha256(dev.strata.squashfs.tree.FileContent.of(initramfs.get())));
        }
        for (DeviceImages.Written w : written) {
            files.add(w.file());
            sums.put(w.file().getFileName().toString(), w.sha256());
            String gz = "";
            if (w.gzip().isPresent()) {
                files.add(w.gzip().get());
                sums.put(w.gzip().get().getFileName().toString(), w.gzipSha256().orElseThrow());
                gz = "; .gz " + ByteSize.human(Files.size(w.gzip().get()));
            }
            lines.add(String.format(Locale.ROOT, "  %s: %s (%s%s)", w.kind(), w.file().getFileName(),
                    ByteSize.human(w.size()), gz));
            lines.addAll(detailLines(w.details()));
        }
        String cmdline = images.commandLine();
        if (!cmdline.isEmpty()) {
            lines.add("  kernel command line: " + cmdline);
        }
        Path manifest = dir.resolve(IMAGE_MANIFEST);
        Files.writeString(manifest, ImageManifestWriter.json(spec, settings, written, cmdline, epoch),
                StandardCharsets.UTF_8);
        files.add(manifest);
        sums.put(IMAGE_MANIFEST, Digests.sha256(Files.readAllBytes(manifest)));
        StringBuilder sb = new StringBuilder();
        sums.forEach((name, sha) -> sb.append(sha).append("  ").append(name).append('\n'));
        Path sumsFile = dir.resolve(SUMS);
        Files.writeString(sumsFile, sb.toString(), StandardCharsets.UTF_8);
        files.add(sumsFile);
        return new Output(List.copyOf(files), List.copyOf(lines));
    }

    /** The root's largest directories and packages, for "does not fit" messages. */
    static List<BudgetException.Contributor> contributors(SizeReport report) {
        List<BudgetException.Contributor> out = new ArrayList<>();
        report.directories().forEach((k, v) -> out.add(new BudgetException.Contributor(k, v)));
        report.packages().forEach((k, v) -> out.add(new BudgetException.Contributor("package " + k, v)));
        out.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        return out;
    }

    private static List<String> detailLines(DeviceImages.Details d) {
        List<String> out = new ArrayList<>();
        if (d instanceof DeviceImages.DiskDetails disk) {
            out.add("    " + disk.scheme().key().toUpperCase(Locale.ROOT) + " " + disk.identifier() + switch (disk.bootLoader()
                    .kind()) {
                case GRUB -> ", GRUB: boot.img in the MBR, core.img (" + ByteSize.human(disk.bootLoader().coreBytes())
                        + ") before p1";
                case MBR_CODE -> ", boot code in the MBR";
                case NONE -> ", no BIOS boot code";
            });
            for (PlacedPartition p : disk.result().partitions()) {
                String what;
                if (p.facts() instanceof PlacedPartition.FatFacts f) {
                    what = f.fatType() + (f.label() == null ? "" : " '" + f.label() + "'") + ", "
                            + f.entries().stream().filter(e -> !e.directory()).count() + " files, "
                            + ByteSize.human(f.bytesFree()) + " free";
                } else if (p.facts() instanceof PlacedPartition.RootFacts r) {
                    what = "squashfs " + ByteSize.human(r.bytesUsed()) + ", overlay data "
                            + ByteSize.human(r.dataBytes()) + " from +" + r.dataOffset();
                } else if (p.facts() instanceof PlacedPartition.DataFacts) {
                    what = "data, formatted at first boot";
                } else {
                    what = "raw";
                }
                out.add(String.format(Locale.ROOT, "    p%d %-8s %9s at %-9s %s", p.number(), p.name(),
                        ByteSize.human(p.size()), ByteSize.human(p.offset()), what));
            }
        } else if (d instanceof DeviceImages.NorDetails n) {
            out.add(String.format(Locale.ROOT, "    kernel %s, squashfs %s at %d, rootfs_data %s from %d (erase block %s)",
                    ByteSize.human(n.result().kernelBytes()), ByteSize.human(n.result().squashfsBytes()),
                    n.result().rootfsOffset(), ByteSize.human(n.result().dataBytes()), n.result().dataOffset(),
                    ByteSize.human(n.eraseBlock())));
        } else if (d instanceof DeviceImages.TarDetails t) {
            out.add("    " + String.join(", ", t.entries()));
        }
        return out;
    }
}
