package io.archiver.objectstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.archiver.manifest.ArchiveManifest;

/**
 * Table definitions that query a policy's archive in place, from a manifest's columns: a DuckDB view over the objects'
 * CSV ({@code read_csv} with the archive's NULL rule: an unquoted empty field is NULL, {@code ""} the empty string) with
 * each column typed where its CSV text reads back exactly (integers, decimals up to 38 digits, doubles) and text
 * otherwise (dates may be zero dates, binary is Base64, JSON is the server's text); and an Athena / Trino (Hive) table,
 * every column a string as the OpenCSV SerDe reads them, with a view that keeps the archive objects' rows only (the
 * manifests and sidecars beside them are under the same location).
 */
public final class ArchiveDdl {

    private static final Pattern DECIMAL = Pattern.compile("(?:decimal|numeric)\\((\\d+),(\\d+)\\).*");

    private ArchiveDdl() {
    }

    /** The DuckDB view {@code name} over {@code s3://bucket/keyPrefix<table>_archive_*.csv[.gz]}. */
    public static String duckDb(ArchiveManifest manifest, String bucket, String keyPrefix, String name) {
        boolean gzip = manifest.objects().isEmpty() || manifest.objects().get(0).gzipped();
        List<String> columns = new ArrayList<>();
        for (ArchiveManifest.Column column : manifest.columns()) {
            columns.add("'" + column.name().replace("'", "''") + "': '" + duckDbType(column) + "'");
        }
        return "-- DuckDB: INSTALL httpfs; LOAD httpfs; (an S3-compatible server: SET s3_endpoint = 'HOST:PORT'; SET s3_url_style = 'path'; SET s3_use_ssl = false;)\n"
                + "CREATE OR REPLACE VIEW " + name + " AS\nSELECT * FROM read_csv('s3://" + bucket + "/" + keyPrefix + manifest.table() + "_archive_*"
                + (gzip ? ".csv.gz" : ".csv") + "',\n    header = true, delim = ',', quote = '\"', escape = '\"', nullstr = '', allow_quoted_nulls = false,\n"
                + "    columns = {" + String.join(", ", columns) + "});\n";
    }

    /** The Athena / Trino table {@code name} over {@code s3://bucket/keyPrefix}, and the view {@code name_rows} of its objects' rows. */
    public static String athena(ArchiveManifest manifest, String bucket, String keyPrefix, String name) {
        List<String> columns = new ArrayList<>();
        for (ArchiveManifest.Column column : manifest.columns()) {
            columns.add("  `" + column.name().replace("`", "``") + "` STRING COMMENT '" + column.sqlType().replace("'", "''") + "'");
        }
        String suffix = manifest.objects().isEmpty() || manifest.objects().get(0).gzipped() ? ".csv.gz" : ".csv";
        return "-- Athena / Trino (Hive): every value a string; NULL and the empty string both read as ''\n"
                + "CREATE EXTERNAL TABLE " + name + " (\n" + String.join(",\n", columns) + "\n)\n"
                + "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'\n"
                + "WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '\"', 'escapeChar' = '\\\\')\n"
                + "STORED AS TEXTFILE\nLOCATION 's3://" + bucket + "/" + keyPrefix + "'\n"
                + "TBLPROPERTIES ('skip.header.line.count' = '1');\n"
                + "-- the manifests and sidecars beside the objects are under the same location: query the objects' rows through this view\n"
                + "CREATE OR REPLACE VIEW " + name + "_rows AS SELECT * FROM " + name + " WHERE \"$path\" LIKE '%" + suffix + "';\n";
    }

    /** A column's DuckDB type: exact where the archive's text reads back exactly, VARCHAR otherwise. */
    public static String duckDbType(ArchiveManifest.Column column) {
        String type = column.dataType().toLowerCase(Locale.ROOT);
        boolean unsigned = column.sqlType().toLowerCase(Locale.ROOT).contains("unsigned");
        switch (type) {
            case "tinyint", "smallint", "mediumint", "int", "integer":
                return "BIGINT";
            case "bigint":
                return unsigned ? "UBIGINT" : "BIGINT";
            case "bit":
                return "UBIGINT";
            case "float", "double", "real":
                return "DOUBLE";
            case "decimal", "numeric": {
                Matcher m = DECIMAL.matcher(column.sqlType().toLowerCase(Locale.ROOT));
                if (m.matches() && Integer.parseInt(m.group(1)) <= 38) {
                    return "DECIMAL(" + m.group(1) + "," + m.group(2) + ")";
                }
                return "VARCHAR"; // DuckDB's decimals stop at 38 digits
            }
            default:
                return "VARCHAR";
        }
    }
}
