/**
 * JMH microbenchmarks of Supaqueue's per-message work inside the JVM, without a database: the JSON codec
 * ({@link dev.supaqueue.benchmarks.jmh.CodecBenchmark}), turning Java arguments into a message and a message's
 * arguments back into a call ({@link dev.supaqueue.benchmarks.jmh.ActorBenchmark}), and a whole send and receive
 * with the default middleware ({@link dev.supaqueue.benchmarks.jmh.RoundTripBenchmark}).
 *
 * <p>JMH's annotation processor generates the harness when the module compiles; the runnable jar is built only
 * with the {@code jmh} profile, and nothing here runs during {@code ./mvnw verify}:
 *
 * <pre>
 *   ./mvnw -B -pl benchmarks -am -DskipTests -Pjmh package
 *   java -jar benchmarks/target/benchmarks-jmh.jar                        # everything, with the defaults below
 *   java -jar benchmarks/target/benchmarks-jmh.jar CodecBenchmark -prof gc  # a regex selects benchmarks
 *   java -jar benchmarks/target/benchmarks-jmh.jar -h                     # JMH's options
 * </pre>
 *
 * <p>The classes default to one fork (-Xms1g -Xmx1g), 3 warm-up and 5 measured iterations of 1 s each, so the
 * whole set takes about 4 minutes; JMH's options override that ({@code -f 3 -wi 5 -i 10 -r 2s} for steadier
 * figures). JMH 1.37 calls {@code sun.misc.Unsafe}, which JDK 25 reports with a warning on each JVM; the
 * figures are not affected.
 */
package dev.supaqueue.benchmarks.jmh;
