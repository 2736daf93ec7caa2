-- An account is an official account or an Open Platform website app.
ALTER TABLE accounts ADD COLUMN kind TEXT NOT NULL DEFAULT 'official';
