package dev.strata.cli;

/** A count with its noun in the right number: "1 entry", "2 entries". */
public final class Counted {
    private Counted() {
    }

    public static String of(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
