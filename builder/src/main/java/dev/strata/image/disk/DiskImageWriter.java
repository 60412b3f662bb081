package dev.strata.image.disk;

import dev.strata.image.BudgetException;
import dev.strata.image.fat.FatWriter;
import dev.strata.image.partition.GptPartition;
import dev.strata.image.partition.GptTable;
import dev.strata.image.partition.MbrPartition;
import dev.strata.image.partition.MbrTable;
import dev.strata.image.partition.PartitionScheme;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link DiskPlan} into a new, sparse disk image file: the partition table, then each
 * partition's content. Space nobody writes stays a hole, so a 120 MiB image with 5 MiB of content
 * takes 5 MiB on the workstation's disk. Fails before writing anything when content does not fit.
 */
public final class DiskImageWriter {
    private DiskImageWriter() {
    }

    /** What was written. */
    public record Result(Path file, long size, List<PlacedPartition> partitions) {
        public Result {
            partitions = List.copyOf(partitions);
        }
    }

    /** Writes plan to out, which must not exist yet. */
    public static Result write(DiskPlan plan, Path out) throws IOException {
        List<long[]> places = place(plan);
        long end = places.isEmpty() ? plan.firstOffset() : places.get(places.size() - 1)[1];
        if (plan.scheme() == PartitionScheme.GPT) {
            end += (long) GptTable.trailingSectors() * 512;
        }
        long size = Math.max(end, plan.minimumSize());
        size = (size + 511) / 512 * 512;
        checkBudgets(plan);
        try (RandomAccessFile raf = new RandomAccessFile(createNew(out).toFile(), "rw")) {
            raf.setLength(size);
            FileChannel ch = raf.getChannel();
            writeTable(plan, places, size, ch);
            List<PlacedPartition> placed = new ArrayList<>();
            for (int i = 0; i < plan.partitions().size(); i++) {
                PartitionPlan p = plan.partitions().get(i);
                long offset = places.get(i)[0];
                PlacedPartition.Facts facts = writeContent(plan, p, offset, ch);
                String type = plan.scheme() == PartitionScheme.MBR ? String.format(Locale.ROOT, "0x%02x", p.mbrType())
                        : p.gptType().toString();
                placed.add(new PlacedPartition(p.number(), p.name(), offset, p.size(), plan.partuuid(p.number()), type,
                        p.bootable(), facts));
            }
            ch.force(false);
            return new Result(out, size, placed);
        }
    }

    private static Path createNew(Path out) throws IOException {
        Files.newByteChannel(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return out;
    }

    /** [offset, end) of each partition, in plan order. */
    static List<long[]> place(DiskPlan plan) {
        List<long[]> out = new ArrayList<>();
        long next = plan.firstOffset();
        for (PartitionPlan p : plan.partitions()) {
            long start = (next + plan.alignment() - 1) / plan.alignment() * plan.alignment();
            out.add(new long[] {start, start + p.size()});
            next = start + p.size();
        }
        return out;
    }

    private static void checkBudgets(DiskPlan plan) throws IOException {
        for (PartitionPlan p : plan.partitions()) {
            long needed = 0;
            if (p.content() instanceof PartitionContent.SquashfsRoot r) {
                long used = bytesUsed(r.image());
                needed = Math.max(Files.size(r.image()), Rootdisk.dataOffset(used) + Rootdisk.MIN_DATA_BYTES);
            } else if (p.content() instanceof PartitionContent.Raw r) {
                needed = Files.size(r.file());
            }
            if (needed > p.size()) {
                List<BudgetException.Contributor> contributors = p.content() instanceof PartitionContent.SquashfsRoot r
                        ? r.contributors() : List.of();
                String what = "partition " + p.number() + " (" + p.name() + ")";
                String hint = p.content() instanceof PartitionContent.SquashfsRoot
                        ? "it holds the squashfs and at least " + (Rootdisk.MIN_DATA_BYTES >> 20) + " MiB for the overlay"
                        + " after it; raise " + p.sizeKnob() + " or leave something out"
                        : "raise " + p.sizeKnob();
                throw new BudgetException(what, p.size(), needed, contributors, hint);
            }
        }
    }

    private static long bytesUsed(Path squashfs) throws IOException {
        try (FileChannel ch = FileChannel.open(squashfs, StandardOpenOption.READ)) {
            long used = Rootdisk.bytesUsed(ch, 0);
            if (used < 0) {
                throw new IOException(squashfs + " is not a squashfs 4.0 image");
            }
            return used;
        }
    }

    private static void writeTable(DiskPlan plan, List<long[]> places, long size, FileChannel ch) throws IOException {
        if (plan.scheme() == PartitionScheme.MBR) {
            List<MbrPartition> entries = new ArrayList<>();
            for (int i = 0; i < plan.partitions().size(); i++) {
                PartitionPlan p = plan.partitions().get(i);
                entries.add(new MbrPartition(p.number(), p.bootable(), p.mbrType(), places.get(i)[0] / 512,
                        p.size() / 512));
            }
            ch.write(ByteBuffer.wrap(new MbrTable(plan.diskSignature(), entries, plan.bootCode()).encode()), 0);
            writeCore(plan, ch);
            return;
        }
        List<GptPartition> entries = new ArrayList<>();
        for (int i = 0; i < plan.partitions().size(); i++) {
            PartitionPlan p = plan.partitions().get(i);
            entries.add(new GptPartition(p.number(), p.gptType(), plan.partitionGuid(p.number()), places.get(i)[0] / 512,
                    places.get(i)[1] / 512 - 1, p.bootable() ? GptPartition.ATTR_LEGACY_BIOS_BOOTABLE : 0, p.name()));
        }
        if (plan.coreImage().length > 0) {
            // the BIOS boot partition GRUB finds its core in: the sectors between the entries and p1
            entries.add(new GptPartition(DiskPlan.BIOS_BOOT_NUMBER, GptPartition.TYPE_BIOS_BOOT,
                    plan.partitionGuid(DiskPlan.BIOS_BOOT_NUMBER), plan.coreSector(), plan.firstOffset() / 512 - 1, 0,
                    "BIOS boot"));
        }
        new GptTable(plan.diskGuid(), entries, size / 512).writeTo(ch);
        if (plan.bootCode().length > 0) {
            ch.write(ByteBuffer.wrap(plan.bootCode()), 0);
        }
        writeCore(plan, ch);
    }

    private static void writeCore(DiskPlan plan, FileChannel ch) throws IOException {
        if (plan.coreImage().length > 0) {
            ch.write(ByteBuffer.wrap(plan.coreImage()), plan.coreSector() * 512);
        }
    }

    private static PlacedPartition.Facts writeContent(DiskPlan plan, PartitionPlan p, long offset, FileChannel ch)
            throws IOException {
        String what = "partition " + p.number() + " (" + p.name() + ")";
        if (p.content() instanceof PartitionContent.Fat f) {
            FatWriter.Result r = new FatWriter(new FatWriter.Options(f.type(), f.label(), f.volumeId(), offset / 512,
                    what, "raise " + p.sizeKnob())).write(f.tree(), ch, offset, p.size());
            return new PlacedPartition.FatFacts(r.geometry().type(), f.label(), f.volumeId(),
                    r.geometry().clusterBytes(), r.bytesFree(), r.entries());
        }
        if (p.content() instanceof PartitionContent.SquashfsRoot r) {
            long used = bytesUsed(r.image());
            long bytes = copy(r.image(), ch, offset);
            // where the device's init looks (padding past bytes_used is zeros the kernel never reads)
            long dataOffset = Rootdisk.dataOffset(used);
            Rootdisk.mark(ch, offset + dataOffset, p.size() - dataOffset);
            return new PlacedPartition.RootFacts(bytes, used, dataOffset, p.size() - dataOffset);
        }
        if (p.content() instanceof PartitionContent.DataVolume) {
            Rootdisk.mark(ch, offset, p.size());
            return new PlacedPartition.DataFacts(Math.min(Rootdisk.CLEARED_BYTES, p.size()));
        }
        return new PlacedPartition.RawFacts(copy(((PartitionContent.Raw) p.content()).file(), ch, offset));
    }

    private static long copy(Path file, FileChannel out, long offset) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            long done = 0;
            while (done < size) {
                long n = out.transferFrom(in.position(done), offset + done, size - done);
                if (n <= 0) {
                    throw new IOException("copying " + file + " into the disk image stopped at byte " + done);
                }
                done += n;
            }
            return size;
        }
    }
}
