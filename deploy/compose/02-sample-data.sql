-- Sample rows for the docker-compose stack (local development only).
-- Runs once, after 01-run-schema.sql, when the MySQL volume is first created.
-- 1000 rows: ids 1-800 are 61 to 140 days old (eligible for the `run` policy, min-age P60D),
-- ids 801-1000 are 0 to 19 days old (must stay in the table).
-- Values cover what the CSV must round-trip: NULL vs empty string, unicode, newlines, decimals,
-- dates, JSON and binary. The recursion stays under MySQL's default cte_max_recursion_depth (1000).

INSERT INTO run (msg_sent_date, run_uuid, status, recipient, subject, body, amount, ratio, attempts, is_test,
                 created_at, delivered_on, payload, checksum, attachment)
WITH RECURSIVE seq (n) AS (
    SELECT 1
    UNION ALL
    SELECT n + 1 FROM seq WHERE n < 1000
)
SELECT
    (UNIX_TIMESTAMP() - IF(n <= 800, (60 + CEIL(n / 10)) * 86400 + 3600, (n - 801) DIV 10 * 86400 + 60)) * 1000,
    UUID(),
    ELT(1 + n % 3, 'SENT', 'DELIVERED', 'FAILED'),
    IF(n % 7 = 0, NULL, CONCAT('user', n, '@example.test')),
    CASE n % 5 WHEN 0 THEN '' WHEN 1 THEN NULL WHEN 2 THEN 'Grüße – 日本語 ✓' ELSE CONCAT('subject ', n) END,
    IF(n % 4 = 0, CONCAT('line one\nline two, "quoted"\r\nline three ', n), CONCAT('body ', n)),
    IF(n % 6 = 0, NULL, n * 1.2345),
    IF(n % 8 = 0, NULL, n / 3),
    n % 4,
    n % 2,
    FROM_UNIXTIME(UNIX_TIMESTAMP() - n * 3600),
    IF(n % 3 = 0, NULL, DATE(FROM_UNIXTIME(UNIX_TIMESTAMP() - n * 86400))),
    IF(n % 5 = 0, NULL, JSON_OBJECT('n', n, 'tags', JSON_ARRAY('a', 'b'))),
    UNHEX(SHA2(CONCAT('row', n), 256)),
    IF(n % 10 = 0, UNHEX('00FF10E2'), NULL)
FROM seq;
