-- Lets the document store's one-statement append refuse a batch from inside the statement:
-- raising aborts the whole statement, so nothing of the batch is written and no BEGIN/COMMIT
-- round trips are needed around it (packages/db/src/sql-store.ts, APPEND_FAST).
-- VOLATILE so the planner never evaluates it ahead of the CASE that guards it.
CREATE OR REPLACE FUNCTION concord_refuse_append(reason text) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'concord: append refused: ' || reason;
END
$$;
