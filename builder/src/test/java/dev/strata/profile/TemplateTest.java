package dev.strata.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
    private static final String GRUB = "set timeout=\"@t@\"\n\nmenuentry \"x\" {\n\tlinux /boot/vmlinuz\n\t@initrd@\n}\n";

    private static String render(String template, Map<String, String> values) throws ProfileException {
        return Template.render(template, values::get, "test");
    }

    @Test
    void aLineOfPlaceholdersThatRenderEmptyIsLeftOutAndBlankLinesStay() throws ProfileException {
        assertEquals("set timeout=\"5\"\n\nmenuentry \"x\" {\n\tlinux /boot/vmlinuz\n}\n",
                render(GRUB, Map.of("t", "5", "initrd", "")));
        assertEquals("set timeout=\"5\"\n\nmenuentry \"x\" {\n\tlinux /boot/vmlinuz\n\tinitrd /boot/initrd.img\n}\n",
                render(GRUB, Map.of("t", "5", "initrd", "initrd /boot/initrd.img")));
    }

    @Test
    void textAroundAnEmptyPlaceholderKeepsItsLine() throws ProfileException {
        assertEquals("a  b\nc", render("a @x@ b\nc", Map.of("x", "")));
        assertEquals("", render("@x@", Map.of("x", "")));
        assertEquals("me@host @ 5", render("me@host @ @n@", Map.of("n", "5")));
    }

    @Test
    void anUnknownPlaceholderIsNamed() {
        ProfileException e = assertThrows(ProfileException.class, () -> render("a\n@nope@\n", Map.of()));
        assertEquals("test: unknown placeholder @nope@", e.getMessage());
    }
}
