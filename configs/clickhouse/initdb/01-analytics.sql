-- Runs once, on an empty data volume, as CLICKHOUSE_USER. Benthos writes here.
CREATE DATABASE IF NOT EXISTS analytics;

CREATE TABLE IF NOT EXISTS analytics.events
(
    received_at DateTime64(3, 'UTC') DEFAULT now64(3),
    source      LowCardinality(String) DEFAULT '',
    type        LowCardinality(String) DEFAULT '',
    payload     String DEFAULT ''
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (source, type, received_at)
TTL toDateTime(received_at) + INTERVAL 1 YEAR;
