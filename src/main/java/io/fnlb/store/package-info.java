/** The SQL node store (SPEC §5): {@code lb_nodes} on SQLite, PostgreSQL or MySQL/MariaDB. */
package io.fnlb.store;
