/**
 * Dramatiq's message and its JSON wire format: {@link dev.supaqueue.message.Message} (the seven fields, immutable)
 * and {@link dev.supaqueue.message.MessageCodec} (encoding that Python Dramatiq and PostgreSQL jsonb accept, and
 * decoding under the rules of Python's decoder, failing with
 * {@link dev.supaqueue.message.MessageDecodeException} so that a broker can dead-letter what it cannot read).
 */
package dev.supaqueue.message;
