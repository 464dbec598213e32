/**
 * One record per filing. A form whose content equals a stored record's becomes another source
 * of that record instead of a record of its own, so each form of each document is attributed
 * once, in `record_sources`, whichever record it went to. Versions keep what made them (import,
 * edit, a returned form), its source and their field-level changes against the version before;
 * a new version row holds only those changes (`data` stays null): the current data is in
 * `records`, and any earlier version is rebuilt from it by undoing the changes in turn.
 */
export const filings = `
ALTER TABLE instance ADD COLUMN secret text;

ALTER TABLE records
  ADD COLUMN content_hash text,
  ADD COLUMN filing_key text,
  ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]'::jsonb;
UPDATE records SET content_hash = encode(sha256(convert_to(data::text, 'UTF8')), 'hex');
ALTER TABLE records ALTER COLUMN content_hash SET NOT NULL;
CREATE INDEX records_content ON records (form_type, content_hash);
CREATE INDEX records_filing ON records (filing_key) WHERE filing_key IS NOT NULL;

CREATE TABLE record_sources (
  document_id bigint NOT NULL REFERENCES documents (id),
  form_index  integer NOT NULL,
  record_id   bigint NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  -- the version whose content the form carried
  version     integer NOT NULL,
  -- the name the file came under when this form was first seen
  file        text NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (document_id, form_index)
);
CREATE INDEX record_sources_record ON record_sources (record_id, first_seen);
INSERT INTO record_sources (document_id, form_index, record_id, version, file, first_seen)
SELECT r.document_id, r.form_index, r.id, 1, d.name, r.created_at
FROM records r JOIN documents d ON d.id = r.document_id;

ALTER TABLE record_versions
  ALTER COLUMN data DROP NOT NULL,
  DROP CONSTRAINT record_versions_origin_check,
  ADD CONSTRAINT record_versions_origin_check CHECK (origin IN ('import', 'edit', 'return')),
  ADD COLUMN changes jsonb,
  ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN document_id bigint REFERENCES documents (id),
  ADD COLUMN form_index integer,
  -- a returned form: the version it was generated from
  ADD COLUMN base_version integer;
UPDATE record_versions v SET document_id = r.document_id, form_index = r.form_index
FROM records r WHERE v.record_id = r.id AND v.origin = 'import';

-- A returned form whose changes clash with edits made since it was generated: kept for review.
CREATE TABLE record_conflicts (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  record_id       bigint NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  document_id     bigint NOT NULL REFERENCES documents (id),
  form_index      integer NOT NULL,
  file            text NOT NULL,
  batch_item_id   bigint REFERENCES batch_items (id) ON DELETE SET NULL,
  base_version    integer NOT NULL,
  current_version integer NOT NULL,
  returned        jsonb NOT NULL,
  paths           jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  resolved_at     timestamptz,
  UNIQUE (document_id, form_index)
);
CREATE INDEX record_conflicts_record ON record_conflicts (record_id, id);

ALTER TABLE batch_items ADD COLUMN updated_records jsonb;
`;
