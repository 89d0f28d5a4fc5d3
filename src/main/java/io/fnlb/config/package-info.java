/** Command line and environment (SPEC §2): Go-style flags, {@code FNLB_*} variables, validation. */
package io.fnlb.config;
