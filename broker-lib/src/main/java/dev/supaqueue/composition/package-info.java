/**
 * Dramatiq's composition of messages: {@link dev.supaqueue.composition.Pipeline} chains messages so that each runs
 * with the previous one's result (run by the {@link dev.supaqueue.middleware.Pipelines} middleware);
 * {@link dev.supaqueue.composition.Group} runs messages, pipelines and groups in parallel, with completion callbacks
 * run by the {@link dev.supaqueue.middleware.GroupCallbacks} middleware.
 */
package dev.supaqueue.composition;
