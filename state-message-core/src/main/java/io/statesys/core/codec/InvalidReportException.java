package io.statesys.core.codec;

/**
 * The body is not a valid report. {@code where} names the place ({@code StateMessage[3]/@SerialNumber}),
 * {@code detail()} gives "where: what".
 */
public class InvalidReportException extends RuntimeException {
    private final String where;
    private final String what;

    public InvalidReportException(String where, String what) {
        super(where == null || where.isEmpty() ? what : where + ": " + what);
        this.where = where;
        this.what = what;
    }

    public String where() {
        return where;
    }

    public String what() {
        return what;
    }

    public String detail() {
        return getMessage();
    }
}
