package dev.supaqueue.results;

/**
 * The actor failed for good and its failure was stored: {@code "actor raised <type>: <msg>"}, as Dramatiq's
 * {@code ResultFailure}, with the original exception's simple class name and message.
 */
public class ResultFailure extends ResultError {

    private static final long serialVersionUID = 1L;

    private final String origExcType;
    private final String origExcMsg;

    public ResultFailure(String origExcType, String origExcMsg) {
        super("actor raised " + origExcType + ": " + origExcMsg);
        this.origExcType = origExcType;
        this.origExcMsg = origExcMsg;
    }

    /** The simple class name of the exception the actor raised, e.g. {@code IllegalStateException}. */
    public String origExcType() {
        return origExcType;
    }

    /** Its message ("" when it had none). */
    public String origExcMsg() {
        return origExcMsg;
    }
}
