/** Active health checking (SPEC §6): each instance checks every stored node on its own. */
package io.fnlb.health;
