/**
 * The duplicate check of an import asks, for each new record, for the older records of the same
 * filing: `filing_key = $key AND id < $id`. On an index of the key alone that was a bitmap scan
 * of the key ANDed with a range scan of the whole primary key (0.4 ms a record in the embedded
 * database), so the planner, which the embedded database never gives statistics (no autovacuum),
 * chose a sequential scan of every record instead: a cost growing with the table, for each job
 * of every import (docs/bench.md, "Seventh look"). On (filing_key, id) it is one index range.
 */
export const filingIndex = `
DROP INDEX records_filing;
CREATE INDEX records_filing ON records (filing_key, id) WHERE filing_key IS NOT NULL;
`;
