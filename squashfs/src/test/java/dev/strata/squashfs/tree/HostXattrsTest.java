package dev.strata.squashfs.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** Reading getfattr's dump: escaped and raw-byte paths, base64 values, empty values, namespaces. */
class HostXattrsTest {
    @Test
    void dumpIsReadBackToPathsNamesAndValues() {
        String dump = String.join("\n",
                "# file: /src/a b",
                "trusted.t=0sAP8=",
                "",
                "# file: /src/new\\012line\\134x",
                "user.empty=0s",
                "security.capability=0sAQAAAgAgAAAAAAAAAAAAAAAAAAA=",
                "system.posix_acl_access=0sAgAAAA==",
                "",
                "# file: /src/caf\u00e9",
                "user.eq=0sYT1i",
                "");
        Map<String, SortedMap<String, byte[]>> parsed = HostXattrs.parse(dump);
        assertEquals(3, parsed.size(), parsed.keySet().toString());
        assertArrayEquals(new byte[] {0, (byte) 0xFF}, parsed.get("/src/a b").get("trusted.t"));

        SortedMap<String, byte[]> escaped = parsed.get("/src/new\nline\\x");
        assertEquals(List.of("security.capability", "user.empty"), List.copyOf(escaped.keySet()),
                "system.* is not a namespace SquashFS stores");
        assertArrayEquals(new byte[0], escaped.get("user.empty"));
        assertEquals(20, escaped.get("security.capability").length);

        // the raw byte 0xE9 (not UTF-8) is kept as one char of ISO-8859-1, as HostXattrs keys paths
        SortedMap<String, byte[]> latin1 = parsed.get(new String(new byte[] {'/', 's', 'r', 'c', '/', 'c', 'a', 'f',
                (byte) 0xE9}, StandardCharsets.ISO_8859_1));
        assertArrayEquals("a=b".getBytes(StandardCharsets.US_ASCII), latin1.get("user.eq"), "'=' in a value");
    }
}
