/** Test fixtures shared across packages: real embedded databases for the node store. */
package io.fnlb.testing;
