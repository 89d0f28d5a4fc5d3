/** The admin API (SPEC §7): node list, statistics and the dashboard page. */
package io.fnlb.admin;
