/**
 * Fault scenarios against a real PostgreSQL: worker processes in their own JVMs that record every execution, and
 * the drivers that kill, restart and soak them. The scenarios are run by this module's integration tests and by
 * the commands in docs/RELIABILITY.md.
 */
package dev.supaqueue.reliability;
