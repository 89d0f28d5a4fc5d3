package io.fnlb.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the admin API refuses before doing anything; the message is the {@code msg} answered. */
final class BadAdminRequest extends Exception {

    private final HttpResponseStatus status;

    /** A refusal answered with {@code status} and {@code message}. */
    BadAdminRequest(HttpResponseStatus status, String message) {
        super(requireNonNull(message, "message"), null, false, false);
        this.status = requireNonNull(status, "status");
    }

    /** A {@code 400 Bad Request} refusal. */
    static BadAdminRequest badRequest(String message) {
        return new BadAdminRequest(HttpResponseStatus.BAD_REQUEST, message);
    }

    /** The status to answer. */
    HttpResponseStatus status() {
        return status;
    }
}
