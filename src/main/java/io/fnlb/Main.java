package io.fnlb;

/** Entry point: wiring lands with the proxy work. */
public final class Main {

    private Main() {
    }

    /** Starts fnlb. */
    public static void main(String[] args) {
    }
}
