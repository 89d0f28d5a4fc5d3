package io.fnlb.store;

/**
 * The node store could not be read or written; the message says why, without secrets.
 *
 * <p>{@link #unavailable()} tells the two kinds apart: the database could not be reached at all
 * (refused, timed out, connection lost), which is temporary and worth a 503 and a retry later,
 * versus the database answering with an error (no permission, a broken table), which is not.
 */
public final class StoreException extends Exception {

    private final boolean unavailable;

    /** An error with a message fit for an operator. */
    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /** An error with a message fit for an operator. */
    public StoreException(String message) {
        super(message);
        this.unavailable = false;
    }

    private StoreException(String message, Throwable cause, boolean unavailable) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    /**
     * An error saying the database cannot be reached now (refused, timed out, connection lost,
     * store closed), with a message fit for an operator.
     */
    public static StoreException unavailable(String message, Throwable cause) {
        return new StoreException(message, cause, true);
    }

    /**
     * Whether the database could not be reached, as opposed to answering with an error: the call
     * may work later without anyone changing anything (an HTTP 503 rather than a 500).
     */
    public boolean unavailable() {
        return unavailable;
    }
}
