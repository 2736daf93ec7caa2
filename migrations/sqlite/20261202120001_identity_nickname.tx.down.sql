DROP INDEX identities_nickname_idx;
