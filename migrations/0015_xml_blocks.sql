-- 0015: records' compressed XML kept together in blocks (`store::compression::XmlBlocks`).
-- A record's frame alone in its `articles` row left a third of the table's pages empty (rows
-- of some 2.5 KB on 4 KB pages); the frames a write stores now go to `xml_blocks` rows of up to
-- 64 KB of frames each, and the record's `raw_xml` holds where its frame is (a 0 byte, then the
-- block, offset and length as varints) instead of the frame. Records stored before keep their
-- frames in their rows (both read back the same way) until a revision replaces them. Frames
-- are never moved or removed: a revision's `raw_xml` keeps the place of the frame it replaced.

CREATE TABLE IF NOT EXISTS xml_blocks (
    id     INTEGER PRIMARY KEY,
    frames BLOB NOT NULL          -- zstd frames, one after another
);
