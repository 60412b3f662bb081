package dev.strata.profile;

import java.io.IOException;

/** A profile file that cannot be used as written; the message starts with {@code file:line:column:}. */
public class ProfileException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProfileException(String message) {
        super(message);
    }
}
