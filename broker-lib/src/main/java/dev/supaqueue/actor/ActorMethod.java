package dev.supaqueue.actor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method (static or instance) as an actor, as Dramatiq's {@code @actor} decorator;
 * {@link Actors#register(dev.supaqueue.broker.Broker, Object)} declares it. Message arguments bind to the method's
 * parameters (keyword arguments by name, which needs {@code javac -parameters}).
 *
 * <p>Only options that are set become the actor's options; the others are left to the middleware's defaults
 * (see {@link ActorOptions}). Numbers use {@link #UNSET} (-1), strings the empty string, booleans
 * {@link TriState#UNSET}. Every option needs a middleware on the broker that understands it, or registration fails.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ActorMethod {

    /** The value of a number attribute that is not set. */
    long UNSET = -1;

    /** The actor name; the method name when empty. */
    String name() default "";

    /** The queue its messages go to. */
    String queue() default "default";

    /** Lower runs first among messages waiting in a worker's memory. */
    int priority() default 0;

    /** {@code max_retries}: failed attempts allowed before dead-lettering (0 = one attempt only). */
    long maxRetries() default UNSET;

    /** {@code min_backoff} in ms. */
    long minBackoff() default UNSET;

    /** {@code max_backoff} in ms. */
    long maxBackoff() default UNSET;

    /** {@code time_limit} in ms. */
    long timeLimit() default UNSET;

    /** {@code max_age} in ms from the message's creation. */
    long maxAge() default UNSET;

    /** {@code result_ttl} in ms. */
    long resultTtl() default UNSET;

    /** {@code store_results}. */
    TriState storeResults() default TriState.UNSET;

    /** {@code notify_shutdown}. */
    TriState notifyShutdown() default TriState.UNSET;

    /** {@code throws}: exceptions that dead-letter the message at once instead of being retried. */
    Class<? extends Throwable>[] throwsExceptions() default {};

    /** {@code on_success}: the name of an actor sent {@code (message_dict, result)} on success. */
    String onSuccess() default "";

    /** {@code on_failure}: the name of an actor sent {@code (message_dict, {type, message})} on each failure. */
    String onFailure() default "";

    /** {@code on_retry_exhausted}: the name of an actor sent {@code (message_dict, {retries, max_retries})}. */
    String onRetryExhausted() default "";
}
