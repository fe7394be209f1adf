package dev.supaqueue.actor;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.supaqueue.message.Message;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Binds a message's JSON {@code args} and {@code kwargs} to an actor's Java parameters, as Python binds a call:
 * positional arguments first, then keyword arguments by parameter name; a parameter given both ways, a
 * keyword naming no parameter, too many or too few arguments are errors. {@link Optional} parameters may be
 * left out and are then empty. Immutable and thread-safe.
 */
public final class ArgumentBinder {

    private final String actorName;
    private final List<ActorParameter> parameters;
    private final List<JavaType> javaTypes;
    /** Per parameter, computed once: binding runs for every message. */
    private final Class<?>[] boxedTypes;
    private final boolean[] optional;
    private final Map<String, ActorParameter> byName;
    private final boolean namesKnown;
    private final int requiredCount;

    /**
     * @param parameters in order, positions 0..n-1
     * @throws IllegalArgumentException if positions are out of order or two parameters share a name
     */
    public ArgumentBinder(String actorName, List<ActorParameter> parameters) {
        this.actorName = Objects.requireNonNull(actorName, "actorName");
        this.parameters = List.copyOf(parameters);
        List<JavaType> types = new ArrayList<>(this.parameters.size());
        this.boxedTypes = new Class<?>[this.parameters.size()];
        this.optional = new boolean[this.parameters.size()];
        Map<String, ActorParameter> names = new HashMap<>();
        boolean allNamed = true;
        int required = 0;
        for (int i = 0; i < this.parameters.size(); i++) {
            ActorParameter parameter = this.parameters.get(i);
            if (parameter.position() != i) {
                throw new IllegalArgumentException("parameter " + parameter.signature() + " has position "
                        + parameter.position() + " but is at index " + i);
            }
            if (parameter.hasName() && names.put(parameter.name(), parameter) != null) {
                throw new IllegalArgumentException("actor '" + actorName + "' has two parameters named '"
                        + parameter.name() + "'");
            }
            allNamed &= parameter.hasName();
            JavaType javaType = ActorArguments.javaType(parameter.type());
            types.add(javaType);
            boxedTypes[i] = MethodType.methodType(javaType.getRawClass()).wrap().returnType();
            optional[i] = javaType.getRawClass() == Optional.class;
            if (!optional[i]) {
                required = i + 1; // Optional parameters before a required one still count in "from R to N".
            }
        }
        this.javaTypes = List.copyOf(types);
        this.byName = Map.copyOf(names);
        this.namesKnown = allNamed;
        this.requiredCount = required;
    }

    public String actorName() {
        return actorName;
    }

    public List<ActorParameter> parameters() {
        return parameters;
    }

    /** Whether keyword arguments can bind: every parameter has a name. */
    public boolean parameterNamesKnown() {
        return namesKnown;
    }

    /** As {@link #bind(List, Map)} with the message's arguments. */
    public Object[] bind(Message message) {
        return bind(message.args(), message.kwargs());
    }

    /**
     * The Java arguments for a call, one per parameter.
     *
     * @param args   JSON values, positional
     * @param kwargs JSON values by parameter name
     * @throws ArgumentBindingException naming the actor, the parameter and what is wrong
     */
    public Object[] bind(List<?> args, Map<String, ?> kwargs) {
        List<?> positional = args == null ? List.of() : args;
        Map<String, ?> named = kwargs == null ? Map.of() : kwargs;
        if (positional.size() > parameters.size()) {
            throw new ArgumentBindingException(tooMany(positional.size()));
        }
        checkKeywords(positional.size(), named);

        // Arity problems come before value problems: "missing b" is more useful than "a is not an int".
        List<ActorParameter> missing = new ArrayList<>();
        for (ActorParameter parameter : parameters) {
            boolean given = parameter.position() < positional.size()
                    || parameter.hasName() && named.containsKey(parameter.name());
            if (!given && !optional[parameter.position()]) {
                missing.add(parameter);
            }
        }
        if (!missing.isEmpty()) {
            throw new ArgumentBindingException(missingMessage(missing, positional.size(), named.size()));
        }

        Object[] bound = new Object[parameters.size()];
        for (ActorParameter parameter : parameters) {
            int i = parameter.position();
            if (i < positional.size()) {
                bound[i] = bindValue(parameter, positional.get(i));
            } else if (parameter.hasName() && named.containsKey(parameter.name())) {
                bound[i] = bindValue(parameter, named.get(parameter.name()));
            } else {
                bound[i] = Optional.empty();
            }
        }
        return bound;
    }

    private void checkKeywords(int positionalCount, Map<String, ?> named) {
        if (named.isEmpty()) {
            return;
        }
        if (!namesKnown) {
            throw new ArgumentBindingException("actor '" + actorName + "' was given keyword arguments "
                    + named.keySet() + " but the names of its parameters " + signatures()
                    + " are unknown: compile its class with javac -parameters (for a functional actor, declare"
                    + " them with ActorDefinition.parameterNames)");
        }
        Set<String> unknown = new LinkedHashSet<>();
        for (String key : named.keySet()) {
            ActorParameter parameter = byName.get(key);
            if (parameter == null) {
                unknown.add("'" + key + "'");
            } else if (parameter.position() < positionalCount) {
                throw new ArgumentBindingException("actor '" + actorName + "': " + parameter.describe()
                        + " was given both positionally and as keyword argument '" + key + "'");
            }
        }
        if (!unknown.isEmpty()) {
            throw new ArgumentBindingException("actor '" + actorName + "' has no parameter"
                    + (unknown.size() == 1 ? " named " : "s named ") + String.join(", ", unknown)
                    + "; its parameters are " + signatures());
        }
    }

    private Object bindValue(ActorParameter parameter, Object json) {
        try {
            return ActorArguments.fromJsonValue(json, javaTypes.get(parameter.position()));
        } catch (IllegalArgumentException e) {
            throw new ArgumentBindingException("actor '" + actorName + "': " + parameter.describe()
                    + " cannot be bound from " + TypeNames.describeJson(json) + detail(e), e);
        }
    }

    /** Jackson's explanation, when it says more than "wrong type": where inside the value, or a constructor's error. */
    private static String detail(IllegalArgumentException e) {
        if (!(e.getCause() instanceof JsonMappingException mapping)) {
            return e.getMessage() == null ? "" : ": " + e.getMessage();
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                path.append('.').append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        Throwable root = mapping;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        boolean fromUserCode = !root.getClass().getName().startsWith("com.fasterxml.jackson.");
        if (path.isEmpty() && !fromUserCode) {
            return "";
        }
        return ": " + (path.isEmpty() ? "" : "at " + path + ": ") + ActorArguments.jacksonMessage(mapping);
    }

    // ---------------------------------------------------------------- direct (synchronous) calls

    /**
     * Checks Java values against the parameters' classes, as sending a typed actor or calling an actor
     * directly requires, and returns the call's arguments with omitted {@link Optional} parameters filled in.
     *
     * @param complete whether every required parameter must be given (a call), or only the given ones checked
     *                 (a message, whose other arguments may come as keyword arguments)
     * @throws IllegalArgumentException if there are too many values, a required one is missing, or one has the
     *                                  wrong class (generic type arguments are not checked, as in Java itself)
     */
    Object[] checkJavaValues(List<?> values, boolean complete) {
        if (values.size() > parameters.size()) {
            throw new IllegalArgumentException(tooMany(values.size()));
        }
        Object[] checked = new Object[complete ? parameters.size() : values.size()];
        List<ActorParameter> missing = new ArrayList<>();
        for (ActorParameter parameter : parameters) {
            int i = parameter.position();
            if (i < values.size()) {
                checked[i] = checkJavaValue(parameter, values.get(i));
            } else if (complete && optional[i]) {
                checked[i] = Optional.empty();
            } else if (complete) {
                missing.add(parameter);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(missingMessage(missing, values.size(), 0));
        }
        return checked;
    }

    private Object checkJavaValue(ActorParameter parameter, Object value) {
        if (value == null) {
            if (parameter.rawType().isPrimitive()) {
                throw new IllegalArgumentException("actor '" + actorName + "': " + parameter.describe()
                        + " must not be null");
            }
            return null;
        }
        if (!boxedTypes[parameter.position()].isInstance(value)) {
            throw new IllegalArgumentException("actor '" + actorName + "': " + parameter.describe() + " expects "
                    + TypeNames.withArticle(TypeNames.format(parameter.type())) + ", got a "
                    + value.getClass().getName());
        }
        return value;
    }

    // ---------------------------------------------------------------- messages

    private String tooMany(int given) {
        String takes = parameters.isEmpty() ? "takes no arguments"
                : "takes " + range() + " positional argument" + (parameters.size() == 1 ? " " : "s ") + signatures();
        return "actor '" + actorName + "' " + takes + " but " + given + (given == 1 ? " was" : " were") + " given";
    }

    private String missingMessage(List<ActorParameter> missing, int positionalCount, int keywordCount) {
        StringJoiner which = new StringJoiner(", ");
        for (ActorParameter parameter : missing) {
            which.add(parameter.describe());
        }
        return "actor '" + actorName + "' is missing " + which + ": it takes " + range() + " argument"
                + (parameters.size() == 1 ? " " : "s ") + signatures() + " and was given " + positionalCount
                + " positional and " + keywordCount + " keyword argument" + (keywordCount == 1 ? "" : "s");
    }

    private String range() {
        return requiredCount == parameters.size() ? String.valueOf(parameters.size())
                : "from " + requiredCount + " to " + parameters.size();
    }

    /** {@code (a: int, b: int)}. */
    String signatures() {
        StringJoiner joiner = new StringJoiner(", ", "(", ")");
        for (ActorParameter parameter : parameters) {
            joiner.add(parameter.signature());
        }
        return joiner.toString();
    }

    @Override
    public String toString() {
        return actorName + signatures();
    }
}
