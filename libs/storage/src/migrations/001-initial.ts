/**
 * Plain SQL, run as-is by PostgreSQL and PGlite alike. Tables are created unqualified, in the
 * schema the connection's search_path names (DATABASE_SCHEMA).
 */
export const initial = `
CREATE TABLE documents (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sha256        text NOT NULL UNIQUE,
  byte_size     integer NOT NULL,
  format        text NOT NULL,
  -- the file name the document was first imported under (the same bytes may come under others)
  name          text NOT NULL,
  parsed_at     timestamptz,
  form_count    integer,
  warnings      jsonb,
  -- set when the bytes can never be parsed, so a re-import fails at once with the same reason
  error_code    text,
  error_message text,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- File bytes when no BLOB_DIR is configured: submissions and generated exports, by content hash.
CREATE TABLE blobs (
  sha256  text PRIMARY KEY,
  content bytea NOT NULL
);

CREATE TABLE records (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  form_type   text NOT NULL,
  year        integer,
  department  text,
  project     text,
  data        jsonb NOT NULL,
  document_id bigint REFERENCES documents (id),
  form_index  integer,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  -- one record per form of a document: importing the same file again adds nothing
  CONSTRAINT records_source_unique UNIQUE (document_id, form_index)
);
CREATE INDEX records_year_type ON records (year, form_type, id);
CREATE INDEX records_type ON records (form_type, id);

CREATE TABLE record_versions (
  record_id  bigint NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  version    integer NOT NULL,
  data       jsonb NOT NULL,
  origin     text NOT NULL CHECK (origin IN ('import', 'edit')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (record_id, version)
);

CREATE TABLE batches (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('import', 'export')),
  -- queuing: the producer is still adding items; running: all items queued; completed
  status      text NOT NULL DEFAULT 'queuing' CHECK (status IN ('queuing', 'running', 'completed')),
  options     jsonb NOT NULL DEFAULT '{}'::jsonb,
  total       integer NOT NULL DEFAULT 0,
  note        text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  sealed_at   timestamptz,
  finished_at timestamptz
);

CREATE TABLE batch_items (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  batch_id      bigint NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  position      integer NOT NULL,
  name          text NOT NULL,
  document_id   bigint REFERENCES documents (id),
  record_id     bigint REFERENCES records (id) ON DELETE SET NULL,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  error_code    text,
  reason        text,
  record_count  integer,
  new_records   integer,
  output_sha256 text,
  output_name   text,
  finished_at   timestamptz,
  UNIQUE (batch_id, position)
);
CREATE INDEX batch_items_status ON batch_items (batch_id, status, position);
`;
