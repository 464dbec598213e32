/**
 * A random id for this database, made once. Job ids in Redis carry it, so a database that is
 * recreated (a deleted PGlite folder, a dropped schema) never meets the finished jobs of its
 * predecessor on a Redis that outlived it: their batch numbers start again at 1, and BullMQ would
 * take `import-1-item-1` for a job it already has and never run it.
 */
export const instance = `
CREATE TABLE instance (
  id text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO instance (id) VALUES (substr(md5(random()::text || clock_timestamp()::text), 1, 12));
`;
