package dev.supaqueue.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A table of results, printed as Markdown and written as Markdown and CSV. */
final class ResultTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    ResultTable(String... header) {
        this.header = List.of(header);
    }

    void add(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : String.valueOf(cell));
        }
        rows.add(row);
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", header)).append(" |\n");
        out.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> row : rows) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString();
    }

    String csv() {
        StringBuilder out = new StringBuilder();
        out.append(csvLine(header));
        for (List<String> row : rows) {
            out.append(csvLine(row));
        }
        return out.toString();
    }

    /** Writes {@code <name>.md} (with the preamble) and {@code <name>.csv} into the directory. */
    void write(Path directory, String name, String preamble) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(name + ".md"), preamble + "\n" + markdown(), StandardCharsets.UTF_8);
        Files.writeString(directory.resolve(name + ".csv"), csv(), StandardCharsets.UTF_8);
    }

    private static String csvLine(List<String> cells) {
        List<String> quoted = new ArrayList<>();
        for (String cell : cells) {
            quoted.add(cell.contains(",") || cell.contains("\"") ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell);
        }
        return String.join(",", quoted) + "\n";
    }
}
