-- Branding set in the admin UI: the logo (light and dark) and the favicon, as uploaded bytes.
-- The text values (accent colour, links, auto-refresh) live in the settings table under appearance.*.

CREATE TABLE appearance_images (
  slot         TEXT PRIMARY KEY CHECK (slot IN ('logo_light', 'logo_dark', 'favicon')),
  -- Decided from the bytes' magic number, never from the file name or what the browser said.
  content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/x-icon')),
  -- At most maxImageBytes (server/domain/appearance.ts, which refuses more with a form message); this is the backstop.
  bytes        BLOB NOT NULL CHECK (length(bytes) BETWEEN 1 AND 524288),
  -- SHA-256 of the bytes in hex: part of the image's public URL, so it can be cached for good.
  hash         TEXT NOT NULL CHECK (length(hash) = 64),
  updated_at   TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX appearance_images_hash ON appearance_images(hash);
