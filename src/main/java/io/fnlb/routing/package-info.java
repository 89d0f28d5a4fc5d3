/** Routing (SPEC §3): the request key, the consistent-hash home node, and load spill-over. */
package io.fnlb.routing;
