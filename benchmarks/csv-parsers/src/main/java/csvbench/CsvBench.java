package csvbench;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain (non-JMH) CSV parsing benchmark: FastCSV vs Jackson CSV vs Commons CSV vs naive split.
 *
 * Each pass opens the file anew and parses every record (header included) into String fields,
 * counting rows and total field characters so the JIT cannot drop the work.
 * Parsers are interleaved round-robin (start position rotated every round) so that machine
 * noise hits all of them alike; ratios are computed per round (paired) and as ratio of medians.
 *
 * Usage: java -cp classes:lib/* csvbench.CsvBench [csvFile] [warmupRounds] [timedRounds]
 *        java -cp classes:lib/* csvbench.CsvBench --malformed   (line-number check only)
 */
public final class CsvBench {

    /** Result of one pass: rows and total field chars. */
    record Result(long rows, long chars) { }

    interface Parser {
        Result parse(Path file) throws IOException;
    }

    // ---------------------------------------------------------------- parsers

    static Result fastCsv(Path file) throws IOException {
        long rows = 0, chars = 0;
        try (CsvReader<CsvRecord> r = CsvReader.builder().ofCsvRecord(file)) {
            for (CsvRecord rec : r) {
                rows++;
                int n = rec.getFieldCount();
                for (int i = 0; i < n; i++) {
                    chars += rec.getField(i).length();
                }
            }
        }
        return new Result(rows, chars);
    }

    static final ObjectReader JACKSON_READER;
    static {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        JACKSON_READER = mapper.readerFor(String[].class);
    }

    static Result jackson(Path file) throws IOException {
        long rows = 0, chars = 0;
        File f = file.toFile();
        try (MappingIterator<String[]> it = JACKSON_READER.readValues(f)) {
            while (it.hasNextValue()) {
                String[] row = it.nextValue();
                rows++;
                for (String s : row) {
                    chars += s.length();
                }
            }
        }
        return new Result(rows, chars);
    }

    static Result commons(Path file) throws IOException {
        long rows = 0, chars = 0;
        try (CSVParser p = CSVParser.parse(file, StandardCharsets.UTF_8, CSVFormat.DEFAULT)) {
            for (CSVRecord rec : p) {
                rows++;
                int n = rec.size();
                for (int i = 0; i < n; i++) {
                    chars += rec.get(i).length();
                }
            }
        }
        return new Result(rows, chars);
    }

    static Result naiveSplit(Path file) throws IOException {
        long rows = 0, chars = 0;
        try (BufferedReader br = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = br.readLine()) != null) {
                rows++;
                for (String s : line.split(",")) {
                    chars += s.length();
                }
            }
        }
        return new Result(rows, chars);
    }

    // ---------------------------------------------------------------- harness

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--malformed")) {
            malformed();
            return;
        }
        Path file = Path.of(args.length > 0 ? args[0] : "/work/shared/datasets/housing.csv");
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int timed = args.length > 2 ? Integer.parseInt(args[2]) : 30;

        Map<String, Parser> parsers = new LinkedHashMap<>();
        parsers.put("FastCSV", CsvBench::fastCsv);
        parsers.put("Jackson CSV", CsvBench::jackson);
        parsers.put("Commons CSV", CsvBench::commons);
        parsers.put("naive split", CsvBench::naiveSplit);
        List<String> names = new ArrayList<>(parsers.keySet());
        int k = names.size();

        System.out.printf("JDK %s (%s), file %s (%d bytes), warmup %d, timed %d, round-robin%n",
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"),
                file, Files.size(file), warmup, timed);

        // sanity: all parsers agree on rows/chars
        Result ref = null;
        for (String n : names) {
            Result r = parsers.get(n).parse(file);
            System.out.printf("  check %-12s rows=%d chars=%d%n", n, r.rows(), r.chars());
            if (ref == null) ref = r;
            else if (!r.equals(ref)) System.out.printf("  WARNING: %s differs from FastCSV%n", n);
        }

        long blackhole = 0;
        long[][] ns = new long[k][timed];
        for (int round = 0; round < warmup + timed; round++) {
            for (int j = 0; j < k; j++) {
                int idx = (j + round) % k; // rotate start position every round
                Parser p = parsers.get(names.get(idx));
                long t0 = System.nanoTime();
                Result r = p.parse(file);
                long t1 = System.nanoTime();
                blackhole += r.rows() + r.chars();
                if (round >= warmup) ns[idx][round - warmup] = t1 - t0;
            }
        }

        double fastMedian = median(ns[0]);
        long fastMin = Arrays.stream(ns[0]).min().getAsLong();
        System.out.printf("%n%-12s %10s %10s %10s %10s %11s %12s %10s%n",
                "parser", "median ms", "min ms", "p25 ms", "p75 ms", "ratio(med)", "ratio(pair)", "ratio(min)");
        for (int i = 0; i < k; i++) {
            double[] pair = new double[timed];
            for (int t = 0; t < timed; t++) pair[t] = (double) ns[i][t] / ns[0][t];
            long[] s = ns[i].clone();
            Arrays.sort(s);
            System.out.printf("%-12s %10.2f %10.2f %10.2f %10.2f %11.2f %12.2f %10.2f%n", names.get(i),
                    median(ns[i]) / 1e6, s[0] / 1e6, s[timed / 4] / 1e6, s[(3 * timed) / 4] / 1e6,
                    median(ns[i]) / fastMedian, medianD(pair), (double) s[0] / fastMin);
        }
        System.out.println("(ratio(med) = median/FastCSV median; ratio(pair) = median of per-round paired ratios;"
                + " ratio(min) = fastest pass/FastCSV fastest pass, least disturbed by other load)");
        System.out.println("blackhole " + blackhole);
    }

    static double median(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    static double medianD(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    // ---------------------------------------------------------------- malformed-row check

    /** Writes a small CSV whose line 4 has an extra field and shows what each library reports. */
    static void malformed() throws IOException {
        Path bad = Path.of("malformed.csv").toAbsolutePath(); // written in the working dir
        Files.writeString(bad, String.join("\n",
                "a,b,c",
                "1,2,3",
                "\"multi\nline\",5,6",   // quoted newline: record 3 spans physical lines 3-4
                "7,8,9,EXTRA",           // physical line 5: one field too many
                "10,11,12") + "\n");
        System.out.println("Malformed file (extra field on physical line 5, record 4 incl. header):");
        System.out.print(Files.readString(bad));
        System.out.println("---");

        // FastCSV: default builder rejects field-count mismatch
        try (CsvReader<CsvRecord> r = CsvReader.builder().ofCsvRecord(bad)) {
            for (CsvRecord rec : r) {
                System.out.printf("FastCSV  line %d fields %d%n", rec.getStartingLineNumber(), rec.getFieldCount());
            }
        } catch (RuntimeException e) {
            System.out.println("FastCSV  threw " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (e.getCause() != null ? " / cause: " + e.getCause().getMessage() : ""));
        }

        // Jackson: String[] rows without schema; report JsonLocation per row
        try (MappingIterator<String[]> it = JACKSON_READER.readValues(bad.toFile())) {
            while (it.hasNextValue()) {
                String[] row = it.nextValue();
                var loc = it.getCurrentLocation();
                System.out.printf("Jackson  fields %d  location line %d col %d%n", row.length, loc.getLineNr(), loc.getColumnNr());
            }
        } catch (RuntimeException e) {
            System.out.println("Jackson  threw " + e);
        }

        // Jackson with a schema (3 columns from header): does an extra field fail, with a line?
        try {
            CsvMapper m = new CsvMapper();
            var schema = com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader();
            try (MappingIterator<Map<String, String>> it = m.readerForMapOf(String.class).with(schema).readValues(bad.toFile())) {
                while (it.hasNextValue()) {
                    Map<String, String> row = it.nextValue();
                    System.out.printf("Jackson(schema) row %s line %d%n", row, it.getCurrentLocation().getLineNr());
                }
            }
        } catch (Exception e) {
            System.out.println("Jackson(schema) threw " + e.getClass().getSimpleName() + ": "
                    + e.getMessage().replace('\n', ' '));
        }

        // Commons CSV: no field-count validation; report record number + parser line
        try (CSVParser p = CSVParser.parse(bad, StandardCharsets.UTF_8, CSVFormat.DEFAULT)) {
            for (CSVRecord rec : p) {
                System.out.printf("Commons  record %d fields %d parser line %d charPos %d%n",
                        rec.getRecordNumber(), rec.size(), p.getCurrentLineNumber(), rec.getCharacterPosition());
            }
        } catch (RuntimeException e) {
            System.out.println("Commons  threw " + e);
        }
        // Commons CSV with header: does an extra field fail?
        try (CSVParser p = CSVParser.parse(bad, StandardCharsets.UTF_8,
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            for (CSVRecord rec : p) {
                System.out.printf("Commons(header) record %d consistent=%b parser line %d%n",
                        rec.getRecordNumber(), rec.isConsistent(), p.getCurrentLineNumber());
            }
        } catch (RuntimeException e) {
            System.out.println("Commons(header) threw " + e);
        }
    }
}
