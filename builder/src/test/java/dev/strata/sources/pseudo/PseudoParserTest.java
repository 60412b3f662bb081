package dev.strata.sources.pseudo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.sources.Accounts;
import dev.strata.squashfs.tree.NodeType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudoParserTest {
    private final PseudoParser parser = new PseudoParser(
            Accounts.of(Map.of("root", 0, "www", 33), Map.of("root", 0, "wheel", 10)));

    private PseudoDefinition one(String def) throws PseudoDefinitionException {
        return parser.parseOption(def);
    }

    private List<PseudoDefinition> file(String text) throws PseudoDefinitionException {
        return parser.parse(text.getBytes(StandardCharsets.UTF_8), "pseudo.txt");
    }

    private PseudoDefinitionException fileError(String text) {
        return assertThrows(PseudoDefinitionException.class, () -> file(text));
    }

    @Test
    void directoryHasModeOwnerAndNoTime() throws Exception {
        var d = assertInstanceOf(PseudoDefinition.Directory.class, one("/dev d 755 0 0"));
        assertEquals("dev", d.path());
        assertEquals(new PseudoAttributes(0755, 0, 0, java.util.OptionalLong.empty()), d.attributes());
    }

    @Test
    void characterAndBlockDevicesCarryMajorAndMinor() throws Exception {
        var c = assertInstanceOf(PseudoDefinition.Device.class, one("/dev/console c 600 0 0 5 1"));
        assertEquals(NodeType.CHAR_DEVICE, c.type());
        assertEquals(5, c.major());
        assertEquals(1, c.minor());
        assertEquals(0600, c.attributes().mode());
        var b = assertInstanceOf(PseudoDefinition.Device.class, one("dev/sda b 660 root wheel 8 0"));
        assertEquals(NodeType.BLOCK_DEVICE, b.type());
        assertEquals("dev/sda", b.path());
        assertEquals(10, b.attributes().gid());
    }

    @Test
    void symlinkTargetIsTheRestOfTheLine() throws Exception {
        var s = assertInstanceOf(PseudoDefinition.Symlink.class, one("/bin/sh s 777 0 0 busybox"));
        assertEquals("busybox", s.target());
        var spaced = assertInstanceOf(PseudoDefinition.Symlink.class, one("link s 0 0 0 a target with spaces"));
        assertEquals("a target with spaces", spaced.target());
    }

    @Test
    void dynamicFileKeepsTheWholeCommand() throws Exception {
        var f = assertInstanceOf(PseudoDefinition.DynamicFile.class, one("etc/version f 444 www 0 echo \"v 1\"; date"));
        assertEquals("echo \"v 1\"; date", f.command());
        assertEquals(33, f.attributes().uid());
        assertEquals(0444, f.attributes().mode());
    }

    @Test
    void fifoAndSocket() throws Exception {
        assertEquals(NodeType.FIFO, assertInstanceOf(PseudoDefinition.Ipc.class, one("p i 644 0 0 f")).type());
        assertEquals(NodeType.SOCKET, assertInstanceOf(PseudoDefinition.Ipc.class, one("s i 644 0 0 s")).type());
    }

    @Test
    void modifyAndItsTimedForm() throws Exception {
        var m = assertInstanceOf(PseudoDefinition.Modify.class, one("etc/shadow m 600 0 0"));
        assertTrue(m.attributes().mtime().isEmpty());
        var mt = assertInstanceOf(PseudoDefinition.Modify.class, one("etc/shadow M 1700000000 600 0 0"));
        assertEquals(1700000000L, mt.attributes().mtime().getAsLong());
    }

    @Test
    void upperCaseTypesTakeATimeFirst() throws Exception {
        var d = assertInstanceOf(PseudoDefinition.Directory.class, one("x D 86400 700 0 0"));
        assertEquals(86400L, d.attributes().mtime().getAsLong());
        var c = assertInstanceOf(PseudoDefinition.Device.class, one("null C \"1970-01-02\" 666 0 0 1 3"));
        assertEquals(86400L, c.attributes().mtime().getAsLong());
        var s = assertInstanceOf(PseudoDefinition.Symlink.class, one("l S 5 777 0 0 target"));
        assertEquals(5L, s.attributes().mtime().getAsLong());
        assertInstanceOf(PseudoDefinition.DynamicFile.class, one("f F 5 644 0 0 true"));
        assertInstanceOf(PseudoDefinition.Ipc.class, one("i I 5 644 0 0 f"));
        assertInstanceOf(PseudoDefinition.Device.class, one("b B 5 644 0 0 1 2"));
    }

    @Test
    void xattrValuesDecodeLikeMksquashfs() throws Exception {
        var plain = assertInstanceOf(PseudoDefinition.Xattr.class, one("etc x user.comment=hello world"));
        assertEquals("user.comment", plain.name());
        assertArrayEquals("hello world".getBytes(StandardCharsets.UTF_8), plain.value());
        byte[] nul = "hello\0world".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(nul, ((PseudoDefinition.Xattr) one("f x user.c=0thello\\000world")).value());
        assertArrayEquals(nul, ((PseudoDefinition.Xattr) one("f x user.c=0saGVsbG8Ad29ybGQ=")).value());
        assertArrayEquals(nul, ((PseudoDefinition.Xattr) one("f x user.c=0x68656c6c6f00776f726c64")).value());
        assertArrayEquals("0x".getBytes(StandardCharsets.UTF_8), ((PseudoDefinition.Xattr) one("f x user.c=0b0x")).value());
    }

    @Test
    void hardLinksToHostFilesAndToPseudoFiles() throws Exception {
        var l = assertInstanceOf(PseudoDefinition.HostLink.class, one("README l \"/tmp/my file\""));
        assertEquals("/tmp/my file", l.hostPath());
        var pl = assertInstanceOf(PseudoDefinition.PseudoLink.class, one("link L /dev/null"));
        assertEquals("dev/null", pl.target());
    }

    @Test
    void fileNamesMayBeQuotedOrEscaped() throws Exception {
        assertEquals("my dir/a b", one("\"/my dir/a b\" d 755 0 0").path());
        assertEquals("my dir", one("my\\ dir d 755 0 0").path());
        assertEquals("", one("/ d 755 0 0").path());
    }

    @Test
    void ownersByName() throws Exception {
        var d = (PseudoDefinition.Directory) one("www d 750 www wheel");
        assertEquals(33, d.attributes().uid());
        assertEquals(10, d.attributes().gid());
    }

    @Test
    void fileSkipsCommentsAndBlankLinesAndJoinsContinuations() throws Exception {
        List<PseudoDefinition> defs = file("# devices\n\n   /dev d 755 0 0\n"
                + "RELEASE f 444 0 0 \\\n\techo one; \\\n  echo two\n/dev/null c 666 0 0 1 3");
        assertEquals(3, defs.size());
        assertEquals(3, defs.get(0).location().line());
        assertEquals("RELEASE", defs.get(1).path());
        assertEquals(4, defs.get(1).location().line());
        assertEquals("echo one;   echo two", ((PseudoDefinition.DynamicFile) defs.get(1)).command());
        assertEquals(7, defs.get(2).location().line());
        assertEquals("pseudo.txt:7", defs.get(2).location().toString());
    }

    @Test
    void unknownTypeNamesFileAndLine() {
        var e = fileError("/dev d 755 0 0\n\n/x q 1 2 3\n");
        assertEquals("pseudo.txt:3: unknown type 'q' (types: d m b c f s i l L x (with a time: D M B C F S I R))",
                e.getMessage());
        assertEquals(3, e.location().line());
    }

    @Test
    void errorsSayWhatIsWrong() {
        assertEquals("pseudo.txt:1: mode '9' is not an octal number", fileError("x d 9 0 0").getMessage());
        assertEquals("pseudo.txt:1: mode 17777 out of range (0..7777)", fileError("x d 17777 0 0").getMessage());
        assertEquals("pseudo.txt:1: missing gid", fileError("x d 755 0").getMessage());
        assertEquals("pseudo.txt:1: missing minor", fileError("x c 600 0 0 5").getMessage());
        assertEquals("pseudo.txt:1: major 4096 out of range (0..4095)", fileError("x c 600 0 0 4096 1").getMessage());
        assertEquals("pseudo.txt:1: unexpected '7' at the end of the definition",
                fileError("x c 600 0 0 5 1 7").getMessage());
        assertEquals("pseudo.txt:1: 'p' is neither f (fifo) nor s (socket)", fileError("x i 600 0 0 p").getMessage());
        assertTrue(fileError("x f 600 0 0").getMessage().startsWith("pseudo.txt:1: missing command"));
        assertEquals("pseudo.txt:1: missing symlink target", fileError("x s 777 0 0").getMessage());
        assertTrue(fileError("x d 755 nobody-here 0").getMessage()
                .startsWith("pseudo.txt:1: unknown user 'nobody-here'"));
        assertTrue(fileError("x").getMessage().startsWith("pseudo.txt:1: missing type"));
        assertEquals("pseudo.txt:1: xattr 'user.a' has no '=' (expected name=value)",
                fileError("x x user.a").getMessage());
        assertTrue(fileError("x x system.a=1").getMessage().contains("not in a namespace SquashFS stores"));
        assertTrue(fileError("x x user.a=0xabc").getMessage().contains("odd number of hex digits"));
        assertTrue(fileError("x D yesterday-ish-nonsense-#! 755 0 0").getMessage().startsWith("pseudo.txt:1: bad time"));
    }

    @Test
    void optionDefinitionsAreLocatedByTheirText() {
        var e = assertThrows(PseudoDefinitionException.class, () -> parser.parseOption("/x q"));
        assertTrue(e.getMessage().startsWith("-p '/x q': unknown type 'q'"), e.getMessage());
    }

    @Test
    void inlineDataIsReadFromTheDataSection(@TempDir Path dir) throws IOException {
        // as written by unsquashfs -pf
        String text = "/ D 1625536033 1777 0 0\n"
                + "test D 1625536969 755 1000 100\n"
                + "test/hello_world R 1625535696 644 1000 100 12 0\n"
                + "test/regfile R 1625536928 644 1000 100 37 12 0\n"
                + "#\n# START OF DATA - DO NOT MODIFY\n#\n"
                + "Hello World\nThis is the data contents of regfile\n";
        Path pf = dir.resolve("pseudo");
        Files.writeString(pf, text);
        List<PseudoDefinition> defs = parser.parseFile(pf);
        assertEquals(4, defs.size());
        var hello = assertInstanceOf(PseudoDefinition.InlineFile.class, defs.get(2));
        assertEquals("Hello World\n", read(hello));
        assertEquals("This is the data contents of regfile\n", read((PseudoDefinition.InlineFile) defs.get(3)));
        var fromMemory = (PseudoDefinition.InlineFile) parser.parse(text.getBytes(StandardCharsets.UTF_8), "<stdin>").get(3);
        assertEquals("This is the data contents of regfile\n", read(fromMemory));
    }

    @Test
    void inlineDataNeedsTheMarkerAndMustFit() {
        assertTrue(fileError("a R 0 644 0 0 1 0\n").getMessage().contains("has no '# START OF DATA"));
        assertTrue(fileError("a R 0 644 0 0 100 0\n# START OF DATA - DO NOT MODIFY\n#\nabc")
                .getMessage().contains("lies beyond the end"));
        assertThrows(PseudoDefinitionException.class, () -> parser.parseOption("a R 0 644 0 0 1 0"));
    }

    private static String read(PseudoDefinition.InlineFile f) throws IOException {
        try (InputStream in = f.content().open()) {
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(f.content().size(), s.length());
            return s;
        }
    }
}
