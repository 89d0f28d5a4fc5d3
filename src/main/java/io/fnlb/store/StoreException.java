package io.fnlb.store;

/** The node store could not be read or written; the message says why, without secrets. */
public final class StoreException extends Exception {

    /** An error with a message fit for an operator. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An error with a message fit for an operator. */
    public StoreException(String message) {
        super(message);
    }
}
