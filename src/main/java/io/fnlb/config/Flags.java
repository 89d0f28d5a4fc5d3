package io.fnlb.config;

import java.util.Map;

/** STUB: replaced by the config work. Signature is the contract Main uses. */
public final class Flags {

    private Flags() {
    }

    /**
     * Parses Go-style flags with {@code FNLB_*} variables as defaults.
     *
     * @return the configuration, or empty when help was printed to {@code out}
     * @throws ConfigException on any bad flag or value
     */
    public static java.util.Optional<FnlbConfig> parse(String[] args, Map<String, String> env, java.io.PrintStream out)
            throws ConfigException {
        throw new ConfigException("config not built yet");
    }
}
