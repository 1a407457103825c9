package io.statesys.core.text;

/** Quoting what a client sent in an error detail without echoing a megabyte of it back. */
public final class Abbreviation {
    private Abbreviation() {
    }

    public static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
