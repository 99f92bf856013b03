-- 0017: a MeSH descriptor's name, UI and type once, in `mesh_descriptors`; a record's heading
-- row (`mesh_headings`) names it by id. The same few thousand descriptors head most records
-- (6 headings a record on average), and each row held the name and UI again: some 250 bytes a
-- record, 80 now. `--mesh` matches the descriptors' names and UIs once, then the records' rows
-- by id. The migration moves every heading; nothing else changes.

CREATE TABLE mesh_descriptors (
    id              INTEGER PRIMARY KEY,
    descriptor      TEXT NOT NULL,
    ui              TEXT,
    descriptor_type TEXT
);
CREATE UNIQUE INDEX mesh_descriptors_by_name
    ON mesh_descriptors(descriptor, ifnull(ui, ''), ifnull(descriptor_type, ''));

INSERT INTO mesh_descriptors (descriptor, ui, descriptor_type)
    SELECT DISTINCT descriptor, ui, descriptor_type FROM mesh_headings ORDER BY 1, 2, 3;

CREATE TABLE mesh_headings_by_id (
    pmid       INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    descriptor INTEGER NOT NULL REFERENCES mesh_descriptors(id),
    major      INTEGER NOT NULL,
    PRIMARY KEY (pmid, position)
) WITHOUT ROWID;

INSERT INTO mesh_headings_by_id (pmid, position, descriptor, major)
    SELECT h.pmid, h.position, d.id, h.major
      FROM mesh_headings h
      JOIN mesh_descriptors d
        ON d.descriptor = h.descriptor
       AND ifnull(d.ui, '') = ifnull(h.ui, '')
       AND ifnull(d.descriptor_type, '') = ifnull(h.descriptor_type, '')
     ORDER BY h.pmid, h.position;

DROP TABLE mesh_headings;
ALTER TABLE mesh_headings_by_id RENAME TO mesh_headings;
