/** The request path (SPEC §4): Netty server, per-event-loop node connection pools, streaming exchange. */
package io.fnlb.proxy;
