package io.fnlb.admin;

import static io.fnlb.admin.BadAdminRequest.badRequest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.fnlb.nodes.NodeAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;

/**
 * Reads the body of {@code PUT} and {@code DELETE /1/lb/nodes}: exactly {@code {"node":"host:port"}}.
 *
 * <p>The body is read token by token rather than bound to a class, so that each mistake (a
 * duplicate or unknown field, a number instead of a string, data after the object) gets its own
 * sentence. The first mistake found is the one reported.
 */
final class NodeBody {

    /** Bodies above this size are refused with 413 before parsing. */
    static final int MAX_BYTES = 64 * 1024;

    private static final String EXPECTED = "expected {\"node\":\"host:port\"}";

    /**
     * Longest address accepted: a DNS name (253) with a port fits, and so does the MySQL store's
     * {@code VARCHAR(255)} key; longer ones would only fail later, in the store, with a 500.
     */
    static final int MAX_ADDRESS_LENGTH = 255;

    /** Strict JSON (no comments, single quotes or trailing commas); immutable once built. */
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private NodeBody() {
    }

    /** The node named by {@code content}, which is left unread-from (its reader index unchanged). */
    static NodeAddress parse(ByteBuf content) throws BadAdminRequest {
        int size = content.readableBytes();
        if (size > MAX_BYTES) {
            throw new BadAdminRequest(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "request body is " + size + " bytes; the limit is " + MAX_BYTES + " bytes");
        }
        byte[] bytes = ByteBufUtil.getBytes(content);
        try (JsonParser json = JSON.createParser(bytes)) {
            return read(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            // Jackson's end-of-input message names a redacted source; say it plainly instead.
            String what = e instanceof JsonEOFException ? "unexpected end of input" : firstLine(e.getOriginalMessage());
            throw badRequest("request body is not valid JSON" + where + ": " + what);
        } catch (IOException e) {
            // Jackson reports malformed UTF-8 as a plain CharConversionException.
            throw badRequest("request body is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static NodeAddress read(JsonParser json) throws IOException, BadAdminRequest {
        JsonToken first = json.nextToken();
        if (first == null) {
            throw badRequest("request body is empty; " + EXPECTED);
        }
        if (first != JsonToken.START_OBJECT) {
            throw badRequest("request body must be a JSON object; " + EXPECTED);
        }
        String node = null;
        for (JsonToken token = json.nextToken(); token != JsonToken.END_OBJECT; token = json.nextToken()) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if (!"node".equals(field)) {
                throw badRequest("unknown field '" + field + "'; " + EXPECTED);
            }
            if (node != null) {
                throw badRequest("field 'node' appears more than once");
            }
            if (value != JsonToken.VALUE_STRING) {
                throw badRequest("field 'node' must be a string; " + EXPECTED);
            }
            node = json.getText();
        }
        if (json.nextToken() != null) {
            throw badRequest("request body has more data after the JSON object; " + EXPECTED);
        }
        if (node == null) {
            throw badRequest("field 'node' is missing; " + EXPECTED);
        }
        return address(node);
    }

    /**
     * The node's address; the common mistakes (a URL instead of {@code host:port}, an overlong
     * value) get their own sentence before {@link NodeAddress#parse} judges the rest.
     */
    private static NodeAddress address(String node) throws BadAdminRequest {
        String text = node.strip();
        if (text.length() > MAX_ADDRESS_LENGTH) {
            // Not echoed back: it may be anything up to the body limit.
            throw badRequest("node address is " + text.length() + " characters long; the limit is "
                    + MAX_ADDRESS_LENGTH);
        }
        if (text.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
            // Not echoed back either: it would reach the log as a forged line break or escape.
            throw badRequest("node address has a control or line-break character; expected host:port");
        }
        int scheme = text.indexOf("://");
        if (scheme >= 0) {
            throw badRequest("node address '" + text + "' has a scheme; expected host:port without "
                    + text.substring(0, scheme + 3));
        }
        if (text.indexOf('/') >= 0) {
            throw badRequest("node address '" + text + "' has a path; expected host:port only");
        }
        try {
            return NodeAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
