package dev.strata.overlay.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.overlay.testsupport.HostTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The device scripts are POSIX sh that shellcheck accepts and busybox ash parses. */
class DeviceScriptsShellcheckTest {
    static final Path SCRIPTS = Path.of("src/main/resources/dev/strata/overlay/device").toAbsolutePath();
    static final Path TEST_SCRIPTS = Path.of("src/test/resources/dev/strata/overlay/boot").toAbsolutePath();

    static List<String> scripts() {
        List<String> names = new ArrayList<>();
        for (DeviceScript s : DeviceScript.values()) {
            names.add(s.resourceName());
        }
        return names;
    }

    @Test
    void shellcheckFindsNothingInTheDeviceScripts() throws Exception {
        assumeTrue(HostTools.which("shellcheck") != null, "shellcheck not installed (apt-get install shellcheck)");
        List<String> cmd = new ArrayList<>(List.of("shellcheck", "-s", "sh", "-x", "-P", SCRIPTS.toString()));
        cmd.addAll(scripts());
        HostTools.Result r = HostTools.run(SCRIPTS, 120, cmd);
        assertEquals(0, r.exit(), r.output());
        HostTools.Result t = HostTools.run(TEST_SCRIPTS, 120, "shellcheck", "-s", "sh", "test-init", "shim-init");
        assertEquals(0, t.exit(), t.output());
    }

    @Test
    void busyboxAshParsesEveryScript() throws Exception {
        Path busybox = HostTools.which("busybox");
        assumeTrue(busybox != null, "busybox not installed (apt-get install busybox-static)");
        for (String name : scripts()) {
            HostTools.Result r = HostTools.run(SCRIPTS, 60, busybox.toString(), "sh", "-n", name);
            assertEquals(0, r.exit(), name + ": " + r.output());
        }
    }

    @Test
    void scriptsShippedInTheJarMatchTheSources() throws Exception {
        for (DeviceScript s : DeviceScript.values()) {
            assertEquals(Files.readString(SCRIPTS.resolve(s.resourceName())),
                    new String(s.bytes(), java.nio.charset.StandardCharsets.UTF_8), s.resourceName());
        }
    }
}
