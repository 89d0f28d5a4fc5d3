package io.fnlb.config;

/** A flag or variable has a bad value; the message is one sentence for the operator. */
public final class ConfigException extends Exception {

    /** An error with a message fit for stderr. */
    public ConfigException(String message) {
        super(message);
    }
}
