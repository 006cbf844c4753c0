-- Each notification naming a country (or 'courses', 'countries') the eligibility records changed
-- for now also comes in a form that says where in the change log the change stands:
-- 'eligibility@<seq>:PAK', seq being the change counter's value of the transaction's last change
-- of that topic. A server whose index already holds the log up to seq (its own write, applied in
-- memory when it returned) has nothing to read; another compares the seq with the log head its
-- index was read to, so a refresh that read past a change answers for it. The form without the
-- seq ('eligibility:PAK') stays, for servers of the versions before.
CREATE OR REPLACE FUNCTION notify_eligibility_topics() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('attache_changes', 'eligibility:' || t.topic)
  FROM (SELECT DISTINCT topic FROM logged) t;
  PERFORM pg_notify('attache_changes', 'eligibility@' || t.seq || ':' || t.topic)
  FROM (SELECT topic, max(seq) AS seq FROM logged GROUP BY topic) t;
  RETURN NULL;
END;
$$;
