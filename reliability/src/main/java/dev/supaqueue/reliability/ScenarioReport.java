package dev.supaqueue.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scenario run measured: its parameters, its figures, the invariants it broke (none on success), and
 * detail tables. Written as Markdown (for people) and CSV (for tools) by {@link #writeTo}.
 */
public final class ScenarioReport {

    private final String name;
    private final String title;
    private final Instant startedAt = Instant.now();
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Table> tables = new LinkedHashMap<>();

    public ScenarioReport(String name, String title) {
        this.name = name;
        this.title = title;
    }

    /** A detail table: a header and rows of the same width. */
    public record Table(List<String> header, List<List<Object>> rows) {
    }

    public String name() {
        return name;
    }

    public ScenarioReport parameter(String key, Object value) {
        parameters.put(key, value);
        return this;
    }

    public ScenarioReport figure(String key, Object value) {
        figures.put(key, value);
        return this;
    }

    public Object figure(String key) {
        return figures.get(key);
    }

    public long longFigure(String key) {
        Object value = figures.get(key);
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("No numeric figure '" + key + "' in " + figures.keySet());
        }
        return number.longValue();
    }

    public Map<String, Object> figures() {
        return Map.copyOf(figures);
    }

    /** Records a broken invariant; the run has failed if there is any. */
    public ScenarioReport violation(String text) {
        violations.add(text);
        return this;
    }

    /** Records a violation unless the condition holds. */
    public ScenarioReport check(boolean holds, String invariant) {
        if (!holds) {
            violations.add(invariant);
        }
        return this;
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public boolean passed() {
        return violations.isEmpty();
    }

    public ScenarioReport note(String text) {
        notes.add(text);
        return this;
    }

    public ScenarioReport table(String tableName, List<String> header, List<List<Object>> rows) {
        tables.put(tableName, new Table(List.copyOf(header), List.copyOf(rows)));
        return this;
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("## ").append(title).append("\n\n");
        md.append("Run at ").append(startedAt).append(": **").append(passed() ? "PASSED" : "FAILED").append("**\n\n");
        md.append("| parameter | value |\n| --- | --- |\n");
        parameters.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("\n| figure | value |\n| --- | --- |\n");
        figures.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        if (!violations.isEmpty()) {
            md.append("\nBroken invariants:\n\n");
            violations.forEach(v -> md.append("- ").append(v).append('\n'));
        }
        if (!notes.isEmpty()) {
            md.append('\n');
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        tables.forEach((tableName, table) -> {
            md.append("\n").append(tableName).append(" (").append(table.rows().size()).append(" rows, also in ")
                    .append(name).append('-').append(tableName).append(".csv)");
            md.append(table.rows().size() > 20 ? ", first 20:\n\n" : ":\n\n");
            md.append("| ").append(String.join(" | ", table.header())).append(" |\n|");
            table.header().forEach(h -> md.append(" --- |"));
            md.append('\n');
            table.rows().stream().limit(20).forEach(row -> {
                md.append('|');
                row.forEach(cell -> md.append(' ').append(cell).append(" |"));
                md.append('\n');
            });
        });
        return md.toString();
    }

    /** {@code kind,key,value} lines: every parameter, figure and violation. */
    public String toCsv() {
        StringBuilder csv = new StringBuilder("kind,key,value\n");
        parameters.forEach((k, v) -> csv.append("parameter,").append(csvCell(k)).append(',').append(csvCell(v))
                .append('\n'));
        figures.forEach((k, v) -> csv.append("figure,").append(csvCell(k)).append(',').append(csvCell(v))
                .append('\n'));
        violations.forEach(v -> csv.append("violation,,").append(csvCell(v)).append('\n'));
        return csv.toString();
    }

    /** Writes {@code <name>.md}, {@code <name>.csv} and one {@code <name>-<table>.csv} per detail table. */
    public List<Path> writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        written.add(Files.writeString(directory.resolve(name + ".md"), toMarkdown(), StandardCharsets.UTF_8));
        written.add(Files.writeString(directory.resolve(name + ".csv"), toCsv(), StandardCharsets.UTF_8));
        for (Map.Entry<String, Table> entry : tables.entrySet()) {
            StringBuilder csv = new StringBuilder();
            csv.append(String.join(",", entry.getValue().header().stream().map(ScenarioReport::csvCell).toList()))
                    .append('\n');
            for (List<Object> row : entry.getValue().rows()) {
                csv.append(String.join(",", row.stream().map(ScenarioReport::csvCell).toList())).append('\n');
            }
            written.add(Files.writeString(directory.resolve(name + "-" + entry.getKey() + ".csv"), csv.toString(),
                    StandardCharsets.UTF_8));
        }
        return written;
    }

    private static String csvCell(Object value) {
        String text = String.valueOf(value);
        if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }

    @Override
    public String toString() {
        return name + (passed() ? " passed" : " FAILED " + violations) + " " + figures;
    }
}
