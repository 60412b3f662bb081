package dev.strata.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.overlay.config.DataFilesystem;
import dev.strata.overlay.config.DataVolume;
import dev.strata.overlay.config.OverlayMode;
import dev.strata.squashfs.compress.CompressorId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spec reader: every problem is one line with file:line:column. */
class SpecParserTest {
    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(dir.resolve("root"));
        Files.writeString(dir.resolve("rootfs.tar.gz"), "not really");
        Files.writeString(dir.resolve("vmlinuz"), "stand-in kernel");
    }

    private Spec parse(String yaml) throws Exception {
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, yaml);
        return SpecParser.parse(spec);
    }

    private String error(String yaml) {
        SpecException e = assertThrows(SpecException.class, () -> parse(yaml));
        return e.getMessage().replace(dir.resolve("spec.yaml").toString(), "spec.yaml");
    }

    @Test
    void readsEveryPartOfAFullSpec() throws Exception {
        Spec s = parse("""
                name: router
                version: 1.10
                profile: openwrt-x86-64
                image:
                  kernel: vmlinuz
                source-date-epoch: 1700000000
                timestamps: clamp
                sources:
                  - dir: root
                    to: /opt/./root
                    exclude: [/opt/root/**/*.a]
                  - tar: rootfs.tar.gz
                    strip-components: 1
                  - file: /etc/hostname
                    content: "router\\n"
                    mode: 0600
                    owner: root
                  - mkdir: /data
                    mode: 1777
                  - symlink: /var
                    target: tmp
                  - remove: /usr/share/doc/**
                  - makedevs: ["/dev/console c 600 0 0 5 1 - - -"]
                ownership:
                  archive-owners: keep
                  overrides:
                    - path: /home/**
                      owner: admin
                squashfs:
                  compression: zstd
                  compression-options: {compression-level: 19}
                  block-size: 1M
                  max-size: 16MiB
                overlay:
                  mode: persistent
                  data: PARTLABEL=rootfs_data
                  filesystem: f2fs
                """);
        assertEquals("router", s.name());
        assertEquals("1.10", s.version());
        assertEquals(TimePolicy.CLAMP, s.timestamps());
        assertEquals(7, s.sources().size());
        assertTrue(s.sources().get(0) instanceof SourceSpec.Directory d && d.to().equals("/opt/root")
                && d.exclude().get(0).matches("/opt/root/x/y/lib.a"));
        assertTrue(s.sources().get(1) instanceof SourceSpec.Tar t && t.keepOwners() && t.stripComponents() == 1);
        assertTrue(s.sources().get(2) instanceof SourceSpec.InlineFile f && f.mode().getAsInt() == 0600);
        assertTrue(s.sources().get(3) instanceof SourceSpec.InlineDirectory d && d.mode().getAsInt() == 01777);
        assertEquals(CompressorId.ZSTD, s.squashfs().compression());
        assertEquals(List.of("-Xcompression-level", "19"), s.squashfs().compressionOptions());
        assertEquals(1 << 20, s.squashfs().blockSize());
        assertEquals(16L << 20, s.squashfs().maxSize().getAsLong());
        assertEquals(OverlayMode.PERSISTENT, s.overlay().orElseThrow().mode());
        assertEquals(DataVolume.partition("PARTLABEL=rootfs_data"), s.overlay().orElseThrow().data());
        assertEquals(DataFilesystem.F2FS, s.overlay().orElseThrow().filesystem());
        assertEquals(64, s.sha256().length());
    }

    @Test
    void unknownKeysSuggestTheClosestKnownOne() {
        assertEquals("spec.yaml:3:1: unknown key 'sorces' in the spec; did you mean 'sources'?",
                error("name: a\nversion: \"1\"\nsorces: []\n"));
        assertEquals("spec.yaml:5:5: unknown key 'keep-owner' in 'sources'[0]; did you mean 'keep-owners'?",
                error("name: a\nversion: \"1\"\nsources:\n  - dir: root\n    keep-owner: true\n"));
        assertEquals("spec.yaml:4:5: unknown source kind 'dri'; did you mean 'dir'?",
                error("name: a\nversion: \"1\"\nsources:\n  - dri: root\n"));
    }

    @Test
    void wrongTypesSayWhatWasExpected() {
        assertEquals("spec.yaml:3:10: 'sources' must be a list, not 'root'",
                error("name: a\nversion: \"1\"\nsources: root\n"));
        assertEquals("spec.yaml:5:11: 'mode' must be an octal mode such as 0644 or 0755, not '0999'",
                error("name: a\nversion: \"1\"\nsources:\n  - mkdir: /x\n    mode: 0999\n"));
        assertEquals("spec.yaml:5:18: 'keep-owners' must be true or false, not 'yes'",
                error("name: a\nversion: \"1\"\nsources:\n  - dir: root\n    keep-owners: yes\n"));
        assertEquals("spec.yaml:4:16: 'compression' 'gzipp' is not one of gzip, lzo, xz, lz4, zstd; did you mean"
                + " 'gzip'?", error("name: a\nversion: \"1\"\nsquashfs:\n  compression: gzipp\nsources: [{mkdir: /x}]\n"));
    }

    @Test
    void missingFilesAndBadPathsPointAtTheSpecLine() {
        assertEquals("spec.yaml:4:10: nothing.tar does not exist (looked for " + dir.resolve("nothing.tar") + ")",
                error("name: a\nversion: \"1\"\nsources:\n  - tar: nothing.tar\n"));
        assertEquals("spec.yaml:4:10: root is not a tar archive",
                error("name: a\nversion: \"1\"\nsources:\n  - tar: root\n"));
        assertEquals("spec.yaml:4:11: 'file' 'etc/x' must be an absolute path in the image (start with '/')",
                error("name: a\nversion: \"1\"\nsources:\n  - file: etc/x\n    content: x\n"));
        assertEquals("spec.yaml:4:10: ipk pattern 'pkgs/*.ipk' matches no file",
                error("name: a\nversion: \"1\"\nsources:\n  - ipk: pkgs/*.ipk\n"));
    }

    @Test
    void yamlSyntaxErrorsHaveAPosition() {
        String e = error("name: a\nversion: \"1\"\nsources:\n  - dir: root\n   bad: [\n");
        assertTrue(e.startsWith("spec.yaml:5:"), e);
        assertTrue(e.contains("YAML syntax"), e);
    }

    @Test
    void overlaySettingsThatCannotBootAreRefusedAtTheirKey() {
        String e = error("name: a\nversion: \"1\"\nsources: [{mkdir: /x}]\noverlay:\n  mode: persistent\n  data: tmpfs\n");
        assertTrue(e.startsWith("spec.yaml:5:3: overlay: mode persistent with data volume tmpfs"), e);
        assertEquals("spec.yaml:5:9: 'mode' 'persistant' is not one of persistent, volatile, read-only; did you mean"
                + " 'persistent'?", error("name: a\nversion: \"1\"\nsources: [{mkdir: /x}]\noverlay:\n  mode: persistant\n"));
    }

    @Test
    void duplicateKeysAndMissingRequiredKeys() {
        String dup = error("name: a\nname: b\nversion: \"1\"\nsources: [{mkdir: /x}]\n");
        assertTrue(dup.startsWith("spec.yaml:2:1: "), dup);
        assertEquals("spec.yaml:1:1: the spec needs the key 'version'", error("name: a\nsources: [{mkdir: /x}]\n"));
    }

    @Test
    void pathGlobsMatchComponentWise() {
        PathGlob g = PathGlob.compile("/usr/**/*.a", null);
        assertTrue(g.matches("/usr/lib/libc.a"));
        assertTrue(g.matches("/usr/x.a"));
        assertTrue(!g.matches("/usr/lib/.hidden.a"));
        assertTrue(!g.matches("/lib/libc.a"));
        assertTrue(PathGlob.compile("/usr/share/doc", null).isLiteral());
        assertTrue(PathGlob.compile("/a/**", null).matches("/a/b/c") && !PathGlob.compile("/a/**", null).matches("/b"));
    }
}
