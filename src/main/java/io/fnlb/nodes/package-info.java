/** Node identity and the shared, immutable views of which nodes exist and which are healthy. */
package io.fnlb.nodes;
