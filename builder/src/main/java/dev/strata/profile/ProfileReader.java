package dev.strata.profile;

import dev.strata.profile.Profile.ContentDecl;
import dev.strata.profile.Profile.DataDecl;
import dev.strata.profile.Profile.DiskOutput;
import dev.strata.profile.Profile.FatDecl;
import dev.strata.profile.Profile.FatFileDecl;
import dev.strata.profile.Profile.FatSource;
import dev.strata.profile.Profile.InputDecl;
import dev.strata.profile.Profile.NorFirmwareOutput;
import dev.strata.profile.Profile.OptionDecl;
import dev.strata.profile.Profile.OptionKind;
import dev.strata.profile.Profile.OutputDecl;
import dev.strata.profile.Profile.PartitionDecl;
import dev.strata.profile.Profile.RootfsDecl;
import dev.strata.profile.Profile.SysupgradeOutput;
import dev.strata.spec.ByteSize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads a profile file; every problem is one {@link ProfileException} naming file:line:column. */
public final class ProfileReader {
    static final List<String> TOP = List.of("name", "description", "based-on", "squashfs", "overlay", "inputs",
            "options", "texts", "outputs");
    static final List<String> OVERLAY_DEFAULT_KEYS = List.of("style", "mode", "data", "filesystem", "boot-device",
            "lowers", "reset-triggers", "reset-flag-file", "init");

    private ProfileReader() {
    }

    /**
     * @param text   the file's contents
     * @param source how messages name it ("profiles/openwrt-x86-64.yaml")
     */
    public static Profile read(String text, String source) throws ProfileException {
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(false).build();
            root = new Compose(settings).composeString(text).orElse(null);
        } catch (MarkedYamlEngineException e) {
            String at = e.getProblemMark().map(m -> source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1))
                    .orElse(source);
            throw new ProfileException(at + ": YAML syntax: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new ProfileException(source + ": YAML syntax: " + e.getMessage());
        }
        if (root == null) {
            throw new ProfileException(source + ": the profile is empty");
        }
        ProfileNode top = new ProfileNode(root, source);
        Map<String, ProfileNode> m = top.map(TOP);
        String name = ProfileNode.require(m, "name", top).text();
        if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
            throw m.get("name").error("profile name '" + name + "' may hold only a-z, 0-9, '.', '_' and '-'");
        }
        String description = ProfileNode.require(m, "description", top).text();
        String basedOn = m.containsKey("based-on") ? m.get("based-on").text() : "";

        Profile.SquashfsDefaults squashfs = new Profile.SquashfsDefaults(Optional.empty(), Optional.empty(), List.of());
        if (m.containsKey("squashfs")) {
            Map<String, ProfileNode> s = m.get("squashfs").map(List.of("compression", "block-size", "options"));
            Optional<Integer> block = Optional.empty();
            if (s.containsKey("block-size")) {
                block = Optional.of((int) size(s.get("block-size")));
            }
            squashfs = new Profile.SquashfsDefaults(
                    s.containsKey("compression") ? Optional.of(s.get("compression").text()) : Optional.empty(), block,
                    s.containsKey("options") ? s.get("options").texts() : List.of());
        }

        Profile.OverlayRules overlay = new Profile.OverlayRules(List.of("rootdisk", "partition", "tmpfs"), Map.of(),
                Optional.empty());
        if (m.containsKey("overlay")) {
            Map<String, ProfileNode> o = m.get("overlay").map(List.of("storage", "style", "defaults"));
            List<String> storage = o.containsKey("storage") ? o.get("storage").texts() : overlay.storage();
            for (String s : storage) {
                if (!List.of("rootdisk", "partition", "mtd", "tmpfs").contains(s)) {
                    throw o.get("storage").error("unknown storage kind '" + s + "' (rootdisk, partition, mtd, tmpfs)");
                }
            }
            Map<String, String> defaults = new LinkedHashMap<>();
            if (o.containsKey("defaults")) {
                for (Map.Entry<String, ProfileNode> d : o.get("defaults").map(OVERLAY_DEFAULT_KEYS).entrySet()) {
                    defaults.put(d.getKey(), String.join(",", d.getValue().texts()));
                }
            }
            overlay = new Profile.OverlayRules(storage, defaults,
                    o.containsKey("style") ? Optional.of(o.get("style").text()) : Optional.empty());
        }

        Map<String, InputDecl> inputs = new LinkedHashMap<>();
        if (m.containsKey("inputs")) {
            for (Map.Entry<String, ProfileNode> e : m.get("inputs").map(null).entrySet()) {
                Map<String, ProfileNode> i = e.getValue().map(List.of("kind", "required", "help"));
                String kind = i.containsKey("kind") ? i.get("kind").text() : "file";
                if (!kind.equals("file") && !kind.equals("directory")) {
                    throw i.get("kind").error("input kind '" + kind + "' is not file or directory");
                }
                inputs.put(e.getKey(), new InputDecl(e.getKey(), kind.equals("directory"),
                        i.containsKey("required") && i.get("required").bool(),
                        ProfileNode.require(i, "help", e.getValue()).text()));
            }
        }
        Map<String, OptionDecl> options = new LinkedHashMap<>();
        if (m.containsKey("options")) {
            for (Map.Entry<String, ProfileNode> e : m.get("options").map(null).entrySet()) {
                if (inputs.containsKey(e.getKey())) {
                    throw e.getValue().error("'" + e.getKey() + "' is both an input and an option");
                }
                Map<String, ProfileNode> o = e.getValue().map(List.of("kind", "default", "choices", "help"));
                OptionKind kind;
                String kindText = ProfileNode.require(o, "kind", e.getValue()).text();
                try {
                    kind = OptionKind.valueOf(kindText.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException x) {
                    throw o.get("kind").error("option kind '" + kindText + "' is not one of size, text, choice, hex32,"
                            + " guid, board, label");
                }
                List<String> choices = o.containsKey("choices") ? o.get("choices").texts() : List.of();
                if (kind == OptionKind.CHOICE && choices.isEmpty()) {
                    throw e.getValue().error("option " + e.getKey() + " of kind choice needs 'choices'");
                }
                Optional<String> dflt = o.containsKey("default") ? Optional.of(o.get("default").text()) : Optional.empty();
                OptionDecl decl = new OptionDecl(e.getKey(), kind, dflt, choices,
                        ProfileNode.require(o, "help", e.getValue()).text());
                if (dflt.isPresent() && !dflt.get().contains("@")) {
                    String problem = ImageSettings.problemWithValue(decl, dflt.get());
                    if (problem != null) {
                        throw o.get("default").error(problem);
                    }
                }
                options.put(e.getKey(), decl);
            }
        }
        Map<String, String> texts = new LinkedHashMap<>();
        if (m.containsKey("texts")) {
            for (Map.Entry<String, ProfileNode> e : m.get("texts").map(null).entrySet()) {
                texts.put(e.getKey(), e.getValue().text());
            }
        }
        List<OutputDecl> outputs = new ArrayList<>();
        for (ProfileNode o : ProfileNode.require(m, "outputs", top).list()) {
            outputs.add(output(o, inputs, texts));
        }
        if (outputs.isEmpty()) {
            throw m.get("outputs").error("a profile needs at least one output");
        }
        return new Profile(name, description, basedOn, source, squashfs, overlay, inputs, options, texts, outputs);
    }

    private static OutputDecl output(ProfileNode o, Map<String, InputDecl> inputs, Map<String, String> texts)
            throws ProfileException {
        Map<String, ProfileNode> m = o.map(null);
        if (m.containsKey("disk")) {
            Map<String, ProfileNode> d = o.map(List.of("disk", "table", "first", "alignment", "gzip", "boot-code",
                    "grub-core", "disk-size", "partitions"));
            Optional<String> bootCode = d.containsKey("boot-code") ? Optional.of(d.get("boot-code").text()) : Optional.empty();
            if (bootCode.isPresent()) {
                inputRef(d.get("boot-code"), bootCode.get(), inputs, false);
            }
            Optional<String> grubCore = d.containsKey("grub-core") ? Optional.of(d.get("grub-core").text()) : Optional.empty();
            if (grubCore.isPresent()) {
                inputRef(d.get("grub-core"), grubCore.get(), inputs, false);
                if (bootCode.isEmpty()) {
                    throw d.get("grub-core").error("GRUB's core image is loaded by its boot.img: give boot-code too");
                }
            }
            List<PartitionDecl> partitions = new ArrayList<>();
            for (ProfileNode p : ProfileNode.require(d, "partitions", o).list()) {
                partitions.add(partition(p, inputs, texts));
            }
            return new DiskOutput(d.get("disk").text(), d.containsKey("table") ? d.get("table").text() : "mbr",
                    d.containsKey("first") ? d.get("first").text() : "1M",
                    d.containsKey("alignment") ? d.get("alignment").text() : "1M",
                    d.containsKey("gzip") && d.get("gzip").bool(), bootCode, grubCore,
                    d.containsKey("disk-size") ? Optional.of(d.get("disk-size").text()) : Optional.empty(),
                    partitions);
        }
        if (m.containsKey("nor-firmware")) {
            Map<String, ProfileNode> d = o.map(List.of("nor-firmware", "kernel", "erase-block", "firmware-size"));
            String kernel = ProfileNode.require(d, "kernel", o).text();
            inputRef(d.get("kernel"), kernel, inputs, false);
            return new NorFirmwareOutput(d.get("nor-firmware").text(), kernel,
                    ProfileNode.require(d, "erase-block", o).text(), ProfileNode.require(d, "firmware-size", o).text());
        }
        if (m.containsKey("sysupgrade-tar")) {
            Map<String, ProfileNode> d = o.map(List.of("sysupgrade-tar", "board", "kernel"));
            String kernel = ProfileNode.require(d, "kernel", o).text();
            inputRef(d.get("kernel"), kernel, inputs, false);
            return new SysupgradeOutput(d.get("sysupgrade-tar").text(), ProfileNode.require(d, "board", o).text(), kernel);
        }
        throw o.error("an output starts with disk, nor-firmware or sysupgrade-tar");
    }

    private static PartitionDecl partition(ProfileNode p, Map<String, InputDecl> inputs, Map<String, String> texts)
            throws ProfileException {
        Map<String, ProfileNode> m = p.map(List.of("number", "name", "size", "mbr-type", "gpt-type", "bootable", "fat",
                "rootfs", "data"));
        ContentDecl content;
        if (m.containsKey("fat")) {
            Map<String, ProfileNode> f = m.get("fat").map(List.of("label", "type", "files"));
            List<FatFileDecl> files = new ArrayList<>();
            for (ProfileNode file : ProfileNode.require(f, "files", m.get("fat")).list()) {
                files.add(fatFile(file, inputs, texts));
            }
            content = new FatDecl(f.containsKey("label") ? f.get("label").text() : "",
                    f.containsKey("type") ? Optional.of(f.get("type").text()) : Optional.empty(), files);
        } else if (m.containsKey("rootfs")) {
            content = new RootfsDecl();
        } else if (m.containsKey("data")) {
            content = new DataDecl();
        } else {
            throw p.error("a partition holds one of fat, rootfs or data");
        }
        int number = ProfileNode.require(m, "number", p).integer();
        return new PartitionDecl(number, ProfileNode.require(m, "name", p).text(), ProfileNode.require(m, "size", p).text(),
                m.containsKey("mbr-type") ? m.get("mbr-type").integer() : 0x83,
                m.containsKey("gpt-type") ? m.get("gpt-type").text() : "linux",
                m.containsKey("bootable") && m.get("bootable").bool(), content);
    }

    private static FatFileDecl fatFile(ProfileNode n, Map<String, InputDecl> inputs, Map<String, String> texts)
            throws ProfileException {
        Map<String, ProfileNode> m = n.map(List.of("to", "input", "text", "rootfs", "initramfs", "md5", "glob",
                "require", "else-text"));
        String to = ProfileNode.require(m, "to", n).text();
        if (!to.startsWith("/")) {
            throw m.get("to").error("'to' must be an absolute path on the partition, got '" + to + "'");
        }
        List<FatSource> sources = new ArrayList<>();
        for (FatSource s : FatSource.values()) {
            if (m.containsKey(s.name().toLowerCase(Locale.ROOT))) {
                sources.add(s);
            }
        }
        if (sources.size() != 1) {
            throw n.error("a file takes exactly one of input, text, rootfs, initramfs, md5");
        }
        FatSource source = sources.get(0);
        ProfileNode refNode = m.get(source.name().toLowerCase(Locale.ROOT));
        String ref = refNode.text();
        Optional<String> glob = m.containsKey("glob") ? Optional.of(m.get("glob").text()) : Optional.empty();
        List<String> require = m.containsKey("require") ? m.get("require").texts() : List.of();
        Optional<String> elseText = m.containsKey("else-text") ? Optional.of(m.get("else-text").text()) : Optional.empty();
        switch (source) {
            case INPUT -> {
                InputDecl in = inputRef(refNode, ref, inputs, true);
                if (in.directory() && !to.endsWith("/")) {
                    throw m.get("to").error("input " + ref + " is a directory: 'to' must end in '/'");
                }
                if (!in.directory() && (glob.isPresent() || !require.isEmpty())) {
                    throw n.error("glob and require apply to directory inputs; " + ref + " is a file");
                }
            }
            case TEXT -> textRef(refNode, ref, texts);
            case INITRAMFS -> {
                if (!ref.equals("build") && !ref.equals("if-built")) {
                    throw refNode.error("initramfs is 'build' (the build must make one) or 'if-built', got '" + ref + "'");
                }
            }
            default -> { }
        }
        if (elseText.isPresent()) {
            textRef(m.get("else-text"), elseText.get(), texts);
        }
        return new FatFileDecl(to, source, ref, glob, require, elseText);
    }

    private static InputDecl inputRef(ProfileNode at, String name, Map<String, InputDecl> inputs, boolean anyKind)
            throws ProfileException {
        InputDecl in = inputs.get(name);
        if (in == null) {
            throw at.error("no input '" + name + "' is declared under inputs");
        }
        if (!anyKind && in.directory()) {
            throw at.error("input " + name + " must be a file");
        }
        return in;
    }

    private static void textRef(ProfileNode at, String name, Map<String, String> texts) throws ProfileException {
        if (!texts.containsKey(name)) {
            throw at.error("no text '" + name + "' is declared under texts");
        }
    }

    private static long size(ProfileNode n) throws ProfileException {
        try {
            return ByteSize.parse(n.text());
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
    }
}
