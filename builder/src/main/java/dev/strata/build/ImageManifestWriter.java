package dev.strata.build;

import dev.strata.image.fat.FatWriter;
import dev.strata.image.disk.PlacedPartition;
import dev.strata.profile.DeviceImages;
import dev.strata.profile.ImageSettings;
import dev.strata.profile.Profile;
import dev.strata.profile.ProfileException;
import dev.strata.spec.Spec;

/**
 * images.json: the profile and its settings, then every output with its size and sha256; disk
 * images with their table and each partition's number, name, type, offset, size, PARTUUID and
 * content (FAT files with sizes and clusters, the squashfs and the overlay region after it).
 */
final class ImageManifestWriter {
    private ImageManifestWriter() {
    }

    static String json(Spec spec, ImageSettings settings, java.util.List<DeviceImages.Written> written, String cmdline,
                       long epoch) throws ProfileException {
        JsonWriter json = new JsonWriter().beginObject();
        json.member("images-manifest-version", 1);
        json.member("name", spec.name()).member("version", spec.version());
        json.member("source-date-epoch", epoch);
        Profile p = settings.profile();
        json.key("profile").beginObject().member("name", p.name()).member("based-on", p.basedOn());
        json.key("options").beginObject();
        for (String o : p.options().keySet()) {
            json.member(o, settings.option(o));
        }
        json.endObject();
        json.key("inputs").beginObject();
        for (String i : p.inputs().keySet()) {
            if (settings.input(i).isPresent()) {
                json.member(i, spec.image().orElseThrow().inputs().get(i).written());
            }
        }
        json.endObject().endObject();
        if (!cmdline.isEmpty()) {
            json.member("kernel-command-line", cmdline);
        }
        json.key("outputs").beginArray();
        for (DeviceImages.Written w : written) {
            json.beginObject().member("file", w.file().getFileName().toString()).member("kind", w.kind())
                    .member("size", w.size()).member("sha256", w.sha256());
            if (w.gzip().isPresent()) {
                json.key("gzip").beginObject().member("file", w.gzip().get().getFileName().toString())
                        .member("sha256", w.gzipSha256().orElseThrow()).endObject();
            }
            details(json, w.details());
            json.endObject();
        }
        json.endArray();
        return json.endObject().toString();
    }

    private static void details(JsonWriter json, DeviceImages.Details d) {
        if (d instanceof DeviceImages.DiskDetails disk) {
            json.member("partition-table", disk.scheme().key());
            json.member(disk.scheme().key().equals("mbr") ? "disk-signature" : "disk-guid", disk.identifier());
            json.member("bios-boot", disk.bootLoader().kind().key);
            json.key("partitions").beginArray();
            for (PlacedPartition p : disk.result().partitions()) {
                json.beginObject().member("number", p.number()).member("name", p.name()).member("type", p.type())
                        .key("bootable").value(p.bootable())
                        .member("offset", p.offset()).member("size", p.size()).member("partuuid", p.partuuid());
                content(json, p.facts());
                json.endObject();
            }
            json.endArray();
        } else if (d instanceof DeviceImages.NorDetails n) {
            json.member("erase-block", n.eraseBlock()).member("firmware-partition-size", n.firmwareSize());
            json.member("kernel-size", n.result().kernelBytes()).member("rootfs-offset", n.result().rootfsOffset())
                    .member("squashfs-bytes-used", n.result().squashfsBytes())
                    .member("rootfs-data-offset", n.result().dataOffset())
                    .member("rootfs-data-size", n.result().dataBytes());
        } else if (d instanceof DeviceImages.TarDetails t) {
            json.member("board", t.board());
            json.key("entries").beginArray();
            for (String e : t.entries()) {
                json.value(e);
            }
            json.endArray();
        }
    }

    private static void content(JsonWriter json, PlacedPartition.Facts facts) {
        json.key("content").beginObject();
        if (facts instanceof PlacedPartition.FatFacts f) {
            json.member("kind", "fat").member("fat-type", f.fatType().name());
            if (f.label() != null) {
                json.member("label", f.label());
            }
            json.member("serial", String.format("%04X-%04X", f.volumeId() >>> 16, f.volumeId() & 0xffff))
                    .member("cluster-size", f.clusterBytes()).member("bytes-free", f.bytesFree());
            json.key("files").beginArray();
            for (FatWriter.Placed e : f.entries()) {
                json.beginObject().member("path", e.path() + (e.directory() ? "/" : ""));
                if (!e.directory()) {
                    json.member("size", e.size());
                }
                json.member("first-cluster", e.firstCluster()).endObject();
            }
            json.endArray();
        } else if (facts instanceof PlacedPartition.RootFacts r) {
            json.member("kind", "squashfs-rootdisk").member("squashfs-size", r.imageBytes())
                    .member("bytes-used", r.bytesUsed()).member("overlay-offset", r.dataOffset())
                    .member("overlay-size", r.dataBytes()).member("overlay-marker", "0xdeadc0de");
        } else if (facts instanceof PlacedPartition.DataFacts dd) {
            json.member("kind", "data").member("marker", "0xdeadc0de").member("cleared", dd.clearedBytes());
        } else if (facts instanceof PlacedPartition.RawFacts r) {
            json.member("kind", "raw").member("size", r.bytes());
        }
        json.endObject();
    }
}
