package io.statesys.core.codec;

/**
 * The number syntax the report accepts: an optional '-' and ASCII digits only. Java's parsers also
 * take a leading '+' and digits of any Unicode script, which no client sends and which would let
 * two spellings name one value.
 */
final class StrictNumbers {
    private StrictNumbers() {
    }

    static boolean isInteger(String t, int maxDigits) {
        int start = t.startsWith("-") ? 1 : 0;
        int digits = t.length() - start;
        if (digits < 1 || digits > maxDigits) {
            return false;
        }
        for (int i = start; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
