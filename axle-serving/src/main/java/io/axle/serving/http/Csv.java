package io.axle.serving.http;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 text: a header row of column names, then rows of cells ({@code "..."} quotes, {@code ""} escapes). */
record Csv(List<String> columns, List<List<String>> rows) {
    Csv {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    static Csv parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean cellStarted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                cellStarted = true;
            } else if (c == ',') {
                record.add(cell.toString());
                cell.setLength(0);
                cellStarted = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                endRecord(records, record, cell, cellStarted);
                record = new ArrayList<>();
                cellStarted = false;
            } else {
                cell.append(c);
                cellStarted = true;
            }
        }
        if (quoted) {
            throw new AxleException(ErrorCode.BAD_REQUEST, "CSV input has an unterminated quoted field");
        }
        endRecord(records, record, cell, cellStarted);
        if (records.isEmpty()) {
            throw new AxleException(ErrorCode.BAD_REQUEST, "CSV input is empty: it needs a header row of column names");
        }
        List<String> header = records.getFirst().stream().map(String::trim).toList();
        List<List<String>> rows = records.subList(1, records.size());
        for (int row = 0; row < rows.size(); row++) {
            if (rows.get(row).size() != header.size()) {
                throw new AxleException(
                        ErrorCode.BAD_REQUEST,
                        "CSV row " + (row + 1) + " has " + rows.get(row).size() + " fields but the header names "
                                + header.size() + " columns");
            }
        }
        return new Csv(header, rows);
    }

    private static void endRecord(
            List<List<String>> records, List<String> record, StringBuilder cell, boolean cellStarted) {
        if (cellStarted || !record.isEmpty()) {
            record.add(cell.toString());
            records.add(record);
        }
        cell.setLength(0);
    }
}
