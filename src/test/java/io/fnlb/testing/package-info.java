/** Test fixtures shared by the packages' tests: a fake Fn node on a real loopback socket. */
package io.fnlb.testing;
