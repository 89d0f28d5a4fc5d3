/** Test fixtures shared by the suites: fake Fn nodes, real databases, raw HTTP, fnlb in-process and as a process. */
package io.fnlb.testing;
