-- Substring search of the console's account list (name or email) through an index: an FTS5 table
-- with the trigram tokenizer (SQLite 3.34+), whose LIKE '%…%' queries of three or more characters
-- use the index. Kept in step with connected_accounts by triggers, so every write path (upserts,
-- fetches, webhooks) updates it without knowing of it.
CREATE VIRTUAL TABLE connected_accounts_search USING fts5 (doc, tokenize = 'trigram');

INSERT INTO connected_accounts_search (rowid, doc)
SELECT id, LOWER(COALESCE(business_name, '') || ' | ' || COALESCE(email, '')) FROM connected_accounts;

CREATE TRIGGER connected_accounts_search_insert AFTER INSERT ON connected_accounts BEGIN
    INSERT INTO connected_accounts_search (rowid, doc)
    VALUES (new.id, LOWER(COALESCE(new.business_name, '') || ' | ' || COALESCE(new.email, '')));
END;

CREATE TRIGGER connected_accounts_search_update AFTER UPDATE OF business_name, email ON connected_accounts BEGIN
    UPDATE connected_accounts_search
    SET doc = LOWER(COALESCE(new.business_name, '') || ' | ' || COALESCE(new.email, ''))
    WHERE rowid = new.id;
END;

CREATE TRIGGER connected_accounts_search_delete AFTER DELETE ON connected_accounts BEGIN
    DELETE FROM connected_accounts_search WHERE rowid = old.id;
END;
